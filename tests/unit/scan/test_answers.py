"""Free-text answers: every level in many phrasings, typos, context questions."""

from __future__ import annotations

import pytest

from mkbscan.scan.answers import (
    ContextAnswer,
    dutch_number,
    parse_context,
    parse_scale,
    parse_yes_no,
)
from mkbscan.scan.questions import load_content


def parse_c1(text: str, *, allow_free_text: bool = True) -> ContextAnswer | None:
    return parse_context("C1", text, allow_free_text=allow_free_text)


def parse_c2(text: str) -> ContextAnswer | None:
    return parse_context("C2", text)


def parse_c3(text: str) -> ContextAnswer | None:
    return parse_context("C3", text)

LEVELS = {
    3: ["Ja, helemaal", "ja hoor, volledig", "helemaal", "zeker", "ja", "Jazeker!",
        "dat hebben we zwart op wit", "100%", "absoluut", "ja, volledig vastgelegd",
        "helemaaal", "volledg", "JA HELEMAAL", "ja 👍", "uiteraard", "ewa ja, alles geregeld"],
    2: ["Grotendeels", "grotendeels wel", "grotendels", "voor het grootste deel", "meestal wel",
        "redelijk", "best wel", "nog niet helemaal", "bijna helemaal", "ja, grotendeels",
        "we hebben het besproken maar niet vastgelegd", "80%", "in grote lijnen wel",
        "niet volledig maar wel veel", "zo goed als wel"],
    1: ["Een beetje", "deels", "een klein beetje", "nauwelijks", "beetjr", "gedeeltelijk",
        "af en toe", "niet echt", "ja, een beetje", "informeel wel", "enigszins", "50/50",
        "amper", "half", "zo goed als niet"],
    0: ["Nee, nog niet", "nee hoor", "nee", "helemaal niet", "nog niet", "neen", "nope",
        "nee, daar zijn we nog niet aan toe", "totaal niet", "nooit", "niks", "0%"],
    None: ["Weet ik niet", "geen idee", "weet ik nie", "geen flauw idee", "kweenie",
           "dat moet ik navragen", "Overslaan", "daar heb ik geen zicht op", "onbekend",
           "idk"],
}
CASES = [(text, level) for level, texts in LEVELS.items() for text in texts]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_scale_levels(text: str, level: int | None) -> None:
    parsed = parse_scale(text)
    assert parsed is not None, text
    assert parsed.level == level, text


@pytest.mark.parametrize("text", ["", "   ", "asdfgh", "wat is de hoofdstad van Frankrijk",
                                  "<script>alert(1)</script>", "🙂🙂", "1234"])
def test_unreadable_answers(text: str) -> None:
    assert parse_scale(text) is None


def test_every_button_is_understood() -> None:
    for option in load_content().scale:
        parsed = parse_scale(option.button)
        assert parsed is not None and parsed.level == option.level


def test_huge_input_is_handled() -> None:
    assert parse_scale("grotendeels " + "bla " * 5000) is not None


@pytest.mark.parametrize(("text", "value"), [
    ("productie", "productie"), ("we willen onze productie uitbesteden", "productie"),
    ("IT", "IT"), ("onze ICT", "IT"), ("software ontwikkeling uitbesteden", "IT"),
    ("HR", "HR"), ("salarisadministratie", "HR"), ("Logistiek of inkoop", "logistiek/inkoop"),
    ("transport", "logistiek/inkoop"), ("Innovatie", "innovatie/productontwikkeling"),
    ("samen een nieuw product ontwikkelen", "innovatie/productontwikkeling"),
    ("Circulaire keten", "circulaire keten"), ("hergebruik van grondstoffen", "circulaire keten"),
    ("Iets anders", "anders"),
    ("de bakkerij van mijn zwager", "anders: de bakkerij van mijn zwager"),
])
def test_c1(text: str, value: str) -> None:
    parsed = parse_c1(text)
    assert parsed is not None and parsed.value == value


def test_c1_refuses_free_text_when_told_it_is_no_answer() -> None:
    assert parse_c1("wat is de hoofdstad van Frankrijk", allow_free_text=False) is None


@pytest.mark.parametrize(("text", "value"), [
    ("Bestaande leverancier of klant", "bestaand"), ("onze vaste leverancier", "bestaand"),
    ("een klant van ons", "bestaand"), ("iemand die we al jaren kennen", "bestaand"),
    ("Een nieuwe partner", "nieuw"), ("een nieuwe partij", "nieuw"),
    ("Nog geen partner op het oog", "geen"), ("nog niemand", "geen"), ("geen idee nog", "geen"),
])
def test_c2(text: str, value: str) -> None:
    parsed = parse_c2(text)
    assert parsed is not None and parsed.value == value


@pytest.mark.parametrize(("text", "value"), [
    ("25", "25"), ("zo'n 25 man", "25"), ("vijfentwintig", "25"), ("tussen de 10 en 20", "15"),
    ("alleen ik", "1"), ("Alleen ik", "1"), ("ik ben zzp'er", "1"), ("we zijn met z'n vijven", "5"),
    ("ongeveer 120 medewerkers", "120"), ("3 fte", "3"), ("250 of meer", "250"),
    ("2 tot 9", "6"), ("honderdtwintig", "120"), ("een stuk of dertig", "30"), ("1.200", "1200"),
])
def test_c3(text: str, value: str) -> None:
    parsed = parse_c3(text)
    assert parsed is not None and parsed.value == value


def test_c3_unreadable() -> None:
    assert parse_c3("veel") is None


@pytest.mark.parametrize(("word", "number"), [
    ("een", 1), ("twaalf", 12), ("eenentwintig", 21), ("negenennegentig", 99), ("honderd", 100),
    ("tweehonderdvijftig", 250), ("duizend", 1000), ("drieëntwintig", 23), ("appel", None),
])
def test_dutch_numbers(word: str, number: int | None) -> None:
    assert dutch_number(word) == number


@pytest.mark.parametrize(("text", "employees"), [
    ("we zijn met z'n twaalven", 12), ("een man of vijftien", 15),
    ("twee vaste krachten en ik", 3), ("zes in de werkplaats en drie op kantoor", 9),
    ("ik werk in mijn eentje", 1), ("ik werk alleen", 1),
])
def test_c3_counts_people_in_sentences(text: str, employees: int) -> None:
    parsed = parse_c3(text)
    assert parsed is not None and parsed.value == str(employees), (text, parsed)


@pytest.mark.parametrize("text", ["alleen als het echt nodig is", "ik ben over 5 minuten terug",
                                  "bij vraag 3 twijfel ik"])
def test_c3_does_not_take_other_numbers_or_alleen_for_a_size(text: str) -> None:
    assert parse_c3(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("we hebben er nog nooit mee gewerkt", "nieuw"),
    ("de groothandel waar we nu al bestellen", "bestaand"),
    ("ik ben nog aan het rondkijken, op zoek eigenlijk", "geen"),
])
def test_c2_in_sentences(text: str, value: str) -> None:
    parsed = parse_c2(text)
    assert parsed is not None and parsed.value == value


@pytest.mark.parametrize(("text", "expected"), [
    ("ja", True), ("Ja graag", True), ("doe maar", True), ("prima", True),
    ("Dat lijkt me prima", True), ("ja hoor, geen probleem", True),
    ("ja, wat kost dat dan?", True),  # a question that opens with its yes
    ("nee", False), ("doe maar niet", False), ("niet nodig", False),
    ("Nee hoor, prima zo", False),  # the strong word outweighs the weak one
    ("ik heb er geen behoefte aan", False), ("zeker niet", False),
    ("Ik denk dat ik het eerst zelf probeer, dus nee dank je", False),
    # A question or a long remark with a weak word in it is no answer: asked back.
    ("Kost dat niks?", None),
    ("Ik heb vorige week de loonwerker uitgenodigd, maar ik hoor niks. Is hij al bezig?", None),
    ("klopt het dat mijn score laag is?", None),
    ("Ik snap niet goed wat Marco dan doet?", None),
    ("Mijn compagnon vindt het niet zo goed gaan met de planning de laatste tijd", None),
    ("kan ik eerst nee zeggen en later ja?", None),
    ("ja en nee", None),
])
def test_yes_or_no_in_the_words(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text) is expected
