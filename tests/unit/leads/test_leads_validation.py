from __future__ import annotations

import pytest

from mkbscan.leads.validation import (
    MAX_FIELD_LENGTH,
    clean_text,
    normalize_phone,
    validate_company,
    validate_email,
    validate_name,
)


@pytest.mark.parametrize(
    ("raw", "max_len", "expected"),
    [
        ("  Anne   de  Vries ", 200, "Anne de Vries"),
        ("Anne\r\nBcc: x@y.nl", 200, "Anne Bcc: x@y.nl"),
        ("a\x00b\tc", 200, "a b c"),
        ("Cafe\u0301", 200, "Café"),  # NFD input becomes NFC
        ("abcdef", 3, "abc"),
        ("Bakker 🍞", 200, "Bakker 🍞"),
        ("\n\r\x00", 200, ""),
    ],
)
def test_clean_text(raw: str, max_len: int, expected: str) -> None:
    assert clean_text(raw, max_len) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("anne@zon.nl", "anne@zon.nl"),
        ("  Anne.de-Vries+scan@Bakkerij-Zon.NL ", "Anne.de-Vries+scan@bakkerij-zon.nl"),
        ("info@sub.domein.co.uk", "info@sub.domein.co.uk"),
        ("mailto:anne@zon.nl", "anne@zon.nl"),
        ("o'brien@zon.nl", "o'brien@zon.nl"),
        ("anne@zon.nl\r\n", "anne@zon.nl"),  # trailing line break of the input is stripped
    ],
)
def test_valid_emails(raw: str, expected: str) -> None:
    check = validate_email(raw)
    assert check.ok, check.error
    assert check.email == expected
    assert check.suggestion is None
    assert check.error is None


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "anne",
        "anne@",
        "@zon.nl",
        "anne@@zon.nl",
        "anne@zon",
        "anne@zon.n",
        "anne@zon..nl",
        "anne@-zon.nl",
        "anne@zon-.nl",
        ".anne@zon.nl",
        "anne.@zon.nl",
        "an..ne@zon.nl",
        "anne de vries@zon.nl",
        "anne@zon.nl, piet@zon.nl",
        "anne@zon.nl;piet@zon.nl",
        "a@b.nl\r\nBcc: x@y.nl",
        "a@b.nl\nBcc: x@y.nl",
        "a@b.nl\x00",
        "Anne <anne@zon.nl>",
        "anne@zon.123",
        "anne@" + "a" * 250 + ".nl",
        "<script>@zon.nl",
    ],
)
def test_invalid_emails(raw: str) -> None:
    check = validate_email(raw)
    assert not check.ok
    assert check.email is None
    assert check.error and check.error[0].isupper()


def test_crlf_injection_message_is_dutch() -> None:
    check = validate_email("a@b.nl\r\nBcc: x@y.nl")
    assert check.error is not None
    assert "e-mailadres" in check.error


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [
        ("anne@gmial.com", "anne@gmail.com"),
        ("anne@gmail.co", "anne@gmail.com"),
        ("anne@gmail.con", "anne@gmail.com"),
        ("anne@gmai.com", "anne@gmail.com"),
        ("anne@gmail.nl", "anne@gmail.com"),
        ("anne@hotmial.com", "anne@hotmail.com"),
        ("anne@hotmal.nl", "anne@hotmail.nl"),
        ("anne@hotmail.nll", "anne@hotmail.nl"),
        ("anne@outlok.com", "anne@outlook.com"),
        ("anne@outlook.cm", "anne@outlook.com"),
        ("anne@yaho.com", "anne@yahoo.com"),
        ("anne@zigo.nl", "anne@ziggo.nl"),
        ("anne@ziggo.com", "anne@ziggo.nl"),
        ("anne@kpnmal.nl", "anne@kpnmail.nl"),
        ("anne@lve.nl", "anne@live.nl"),
        ("anne@icoud.com", "anne@icloud.com"),
    ],
)
def test_typo_suggestions(raw: str, suggestion: str) -> None:
    check = validate_email(raw)
    assert check.ok
    assert check.email == raw
    assert check.suggestion == suggestion


@pytest.mark.parametrize(
    "raw",
    [
        "anne@gmail.com",
        "anne@hotmail.nl",
        "anne@live.nl",
        "anne@ziggo.nl",
        "anne@kpnmail.nl",
        "anne@icloud.com",
        "anne@zon.nl",
        "anne@bakkerij-zon.nl",
        "anne@vries.nl",
        "anne@home.nl",
    ],
)
def test_no_suggestion_for_correct_domains(raw: str) -> None:
    check = validate_email(raw)
    assert check.ok
    assert check.suggestion is None


@pytest.mark.parametrize(
    ("raw", "e164", "display"),
    [
        ("06-12345678", "+31612345678", "06-12345678"),
        ("06 1234 5678", "+31612345678", "06-12345678"),
        ("0612345678", "+31612345678", "06-12345678"),
        ("06.12.34.56.78", "+31612345678", "06-12345678"),
        ("+31 6 12345678", "+31612345678", "06-12345678"),
        ("+31612345678", "+31612345678", "06-12345678"),
        ("0031 6 1234 5678", "+31612345678", "06-12345678"),
        ("+31 (0)6 1234 5678", "+31612345678", "06-12345678"),
        ("+31 (0)20 123 4567", "+31201234567", "020-1234567"),
        ("020-1234567", "+31201234567", "020-1234567"),
        ("(020) 123 45 67", "+31201234567", "020-1234567"),
        ("010 123 4567", "+31101234567", "010-1234567"),
        ("0111-123456", "+31111123456", "0111-123456"),
        ("088 123 4567", "+31881234567", "088-1234567"),
        ("0800-1234", "+318001234", "0800-1234"),
        ("0800 123 4567", "+318001234567", "0800-1234567"),
        ("+32 470 12 34 56", "+32470123456", "+32470123456"),
    ],
)
def test_valid_phones(raw: str, e164: str, display: str) -> None:
    check = normalize_phone(raw)
    assert check.ok, check.error
    assert (check.e164, check.display, check.error) == (e164, display, None)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "06-1234567",
        "06-123456789",
        "020-123456",
        "06-1234abcd",
        "bel me maar",
        "612345678",
        "+31 6 1234",
        "06+12345678",
        "++31612345678",
        "0000000000",
        "06-12345678\r\nBcc: x@y.nl",
        "<script>",
    ],
)
def test_invalid_phones(raw: str) -> None:
    check = normalize_phone(raw)
    assert not check.ok
    assert check.e164 is None
    assert check.error and check.error[0].isupper()


def test_phone_letters_error_mentions_digits() -> None:
    error = normalize_phone("06-1234abcd").error
    assert error is not None and "cijfers" in error


def test_phone_length_error_mentions_ten_digits() -> None:
    error = normalize_phone("06-1234567").error
    assert error is not None and "10 cijfers" in error


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Anne de Vries", "Anne de Vries"),
        ("  Kees   van den Berg ", "Kees van den Berg"),
        ("Marieke 't Hart", "Marieke 't Hart"),
        ("José Müller-Lüdenscheidt", "José Müller-Lüdenscheidt"),
        ("Zoë\u0308", "Zoë\u0308"),  # combining mark is kept, NFC-normalised
        ("Anne 🌻", "Anne 🌻"),
        ("Anne\r\nde Vries", "Anne de Vries"),
    ],
)
def test_valid_names(raw: str, expected: str) -> None:
    check = validate_name(raw)
    assert check.ok, check.error
    assert check.value == clean_text(expected, MAX_FIELD_LENGTH)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "geen naam"),
        ("   \n ", "geen naam"),
        ("A" * 10_000, "te lang"),
        ("A" * (MAX_FIELD_LENGTH + 1), "te lang"),
        ("<script>alert(1)</script>", "< of >"),
        ("Anne <b>de Vries</b>", "< of >"),
        ("12345", "letter"),
        ("🌻🌻", "letter"),
        ("anne@zon.nl", "e-mailadres"),
        ("https://zon.nl", "webadres"),
        ("www.bakkerijzon.nl", "webadres"),
    ],
)
def test_invalid_names(raw: str, fragment: str) -> None:
    check = validate_name(raw)
    assert not check.ok
    assert check.value is None
    assert check.error is not None and fragment in check.error


def test_name_at_max_length_is_accepted_whole() -> None:
    check = validate_name("A" * MAX_FIELD_LENGTH)
    assert check.ok
    assert check.value == "A" * MAX_FIELD_LENGTH


@pytest.mark.parametrize(
    "raw",
    [
        "Bakkerij Zon B.V.",
        "Jansen & Zonen",
        "Robert'); DROP TABLE leads;--",
        "' OR '1'='1",
        "Zon 🌞 Energie",
        "bakkerijzon.nl",
        "3D Print Lab",
    ],
)
def test_valid_companies_are_taken_literally(raw: str) -> None:
    check = validate_company(raw)
    assert check.ok, check.error
    assert check.value == raw


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "geen bedrijfsnaam"),
        ("B" * 10_000, "te lang"),
        ("<script>alert('x')</script>", "< of >"),
        ("info@zon.nl", "e-mailadres"),
        ("1234", "letter"),
    ],
)
def test_invalid_companies(raw: str, fragment: str) -> None:
    check = validate_company(raw)
    assert not check.ok
    assert check.error is not None and fragment in check.error


def test_sql_looking_name_is_also_literal_text() -> None:
    check = validate_name("Robert'); DROP TABLE leads;--")
    assert check.ok
    assert check.value == "Robert'); DROP TABLE leads;--"
