"""The partner's invitation code: its form, its alphabet, and reading it from a message."""

from __future__ import annotations

import re

import pytest

from mkbscan.scan.invite_code import ALPHABET, DIGITS, find_code, new_code


def test_new_codes_have_the_form_and_no_look_alikes() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert not set(code) & set("01OIL")
        assert all(set(group) & set(DIGITS) for group in code.split("-"))
        assert find_code(f"ik heb een code: {code.lower()}") == code
    assert set(ALPHABET) >= {sign for code in codes for sign in code if sign != "-"}


@pytest.mark.parametrize(("typed", "code"), [
    ("ik heb een code: K7QD-M2XR", "K7QD-M2XR"),
    ("k7qd m2xr", "K7QD-M2XR"),
    ("Mijn code is K7QDM2XR, toch?", "K7QD-M2XR"),
    ("code:k7qd-m2xr.", "K7QD-M2XR"),
])
def test_a_code_is_read_however_it_is_typed(typed: str, code: str) -> None:
    assert find_code(typed) == code


@pytest.mark.parametrize("typed", [
    "we hebben een afspraak deze week", "postcode 3512 AB", "bel me op 0612345678",
    "K7QD-M2XR9", "XK7QD-M2XR", "K0QD-M2XR", "ABCD-EFGH", "ik heb een code"])
def test_no_code_in_ordinary_words_or_longer_strings(typed: str) -> None:
    assert find_code(typed) is None
