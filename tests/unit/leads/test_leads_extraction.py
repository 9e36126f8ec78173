from __future__ import annotations

import pytest

from mkbscan.leads.extraction import ContactFields, extract_contact, extract_single


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ik ben Anne de Vries van Bakkerij Zon, anne@zon.nl",
            ContactFields("Anne de Vries", "Bakkerij Zon", "anne@zon.nl", None),
        ),
        (
            "Mijn naam is Piet Jansen, ik werk bij Jansen Metaal BV. Bel me op 06-12345678",
            ContactFields("Piet Jansen", "Jansen Metaal BV", None, "06-12345678"),
        ),
        ("anne@zon.nl", ContactFields(None, None, "anne@zon.nl", None)),
        ("Anne de Vries", ContactFields("Anne de Vries", None, None, None)),
        ("Bakkerij Zon B.V.", ContactFields(None, "Bakkerij Zon B.V.", None, None)),
        ("je kunt me mailen op anne@zon.nl", ContactFields(None, None, "anne@zon.nl", None)),
        (
            "hier Kees van den Berg (Berg Logistiek)",
            ContactFields("Kees van den Berg", "Berg Logistiek", None, None),
        ),
        ("Kees van den Berg", ContactFields("Kees van den Berg", None, None, None)),
        ("Ik ben Anne van Dijk", ContactFields("Anne van Dijk", None, None, None)),
        ("Ik ben Anne van Bakkerij Zon", ContactFields("Anne", "Bakkerij Zon", None, None)),
        (
            "Ik ben Sanne ten Brink van De Groene Zaak",
            ContactFields("Sanne ten Brink", "De Groene Zaak", None, None),
        ),
        (
            "Anne de Vries van Bakkerij Zon B.V.",
            ContactFields("Anne de Vries", "Bakkerij Zon B.V.", None, None),
        ),
        (
            "Anne de Vries, Bakkerij Zon, 0612345678",
            ContactFields("Anne de Vries", "Bakkerij Zon", None, "0612345678"),
        ),
        (
            "Met Marieke 't Hart, Hart Installatietechniek, 020-1234567",
            ContactFields("Marieke 't Hart", "Hart Installatietechniek", None, "020-1234567"),
        ),
        (
            "Mijn naam is Jan ter Horst en mijn e-mailadres is jan@terhorst.nl",
            ContactFields("Jan ter Horst", None, "jan@terhorst.nl", None),
        ),
        (
            "ik ben eigenaar van Zon Techniek B.V.",
            ContactFields(None, "Zon Techniek B.V.", None, None),
        ),
        ("Jan Peter van der Berg", ContactFields("Jan Peter van der Berg", None, None, None)),
        (
            "Mijn nummer is +31 6 1234 5678 en mail: piet@jansen.nl",
            ContactFields(None, None, "piet@jansen.nl", "+31 6 1234 5678"),
        ),
    ],
)
def test_extract_contact(text: str, expected: ContactFields) -> None:
    assert extract_contact(text) == expected


@pytest.mark.parametrize(
    "text", ["Ik ben blij", "Ja graag", "", "nee dank je", "Ik ben op zoek naar een partner"]
)
def test_extract_contact_finds_nothing_in_small_talk(text: str) -> None:
    assert extract_contact(text) == ContactFields()


def test_tussenvoegsel_is_not_a_company() -> None:
    fields = extract_contact("Kees van den Berg")
    assert fields.name == "Kees van den Berg"
    assert fields.company is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("bel (020) 123 45 67", "(020) 123 45 67"),
        ("mijn nummer is 0031 6 1234 5678", "0031 6 1234 5678"),
        ("Anne, +31 (0)6 1234 5678", "+31 (0)6 1234 5678"),
        ("liefst op 12-06-2024 na 14.00 uur", None),
    ],
)
def test_phone_candidates(text: str, phone: str | None) -> None:
    assert extract_contact(text).phone == phone


def test_header_injection_text_is_not_one_email() -> None:
    fields = extract_contact("a@b.nl\r\nBcc: x@y.nl")
    assert fields.email == "a@b.nl"


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("name", "Anne", "Anne"),
        ("name", "anne", "anne"),
        ("name", "mijn naam is Anne de Vries", "Anne de Vries"),
        ("name", "Ik heet Kees van den Berg", "Kees van den Berg"),
        ("name", "ik ben Anne", "Anne"),
        ("name", "Anne, van Bakkerij Zon", "Anne"),
        ("name", "Hoi! Ik ben Anne.", "Anne"),
        ("company", "Bakkerij Zon", "Bakkerij Zon"),
        ("company", "het bedrijf heet Zon B.V.", "Zon B.V."),
        ("company", "we heten Jansen Metaal", "Jansen Metaal"),
        ("company", "Wij heten De Groene Zaak", "De Groene Zaak"),
        ("company", "ik werk bij Jansen Metaal BV.", "Jansen Metaal BV"),
        ("company", "Robert'); DROP TABLE leads;--", "Robert'); DROP TABLE leads;--"),
        ("email", "dat is anne@zon.nl.", "anne@zon.nl"),
        ("email", "anne at zon punt nl", "anne at zon punt nl"),
        ("phone", "bel 06-12345678 maar", "06-12345678"),
        ("phone", "geen idee", "geen idee"),
        ("preferred_moment", " dinsdag\nochtend ", "dinsdag ochtend"),
        ("question", "Hoe vind ik een partner?", "Hoe vind ik een partner?"),
        ("name", "   ", None),
        ("company", "", None),
    ],
)
def test_extract_single(field: str, text: str, expected: str | None) -> None:
    assert extract_single(field, text) == expected


def test_extract_single_rejects_unknown_field() -> None:
    with pytest.raises(ValueError):
        extract_single("shoe_size", "42")
