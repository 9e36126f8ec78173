"""Is this a name (or a company name) at all? "bedankt", "ja", a question or a sentence is not.

mkbscan.leads.validation checks the form (letters, length, no HTML or addresses); this
checks the sense, so "bedankt!" is never stored as the name and "ja" never as the company.
"""

from __future__ import annotations

import re

from mkbscan.reading.abuse import is_abusive
from mkbscan.reading.text import normalize
from mkbscan.wording import say

# Whole answers that are no name: thanks, yes/no, greetings, fillers, refusals.
_NOT_A_NAME = re.compile(
    r"^(bedankt|dank (je|u)( wel)?|dankjewel|dankuwel|thanks|thank you|merci|ja|jawel|nee|neen"
    r"|ok|oke|okay|prima|top|goed|super|hoi|hallo|hey|hi|dag|doei|hello|geen|niks|niets|nvt"
    r"|n v t|weet ik niet|geen idee|test|testing|asdf\w*|qwerty|naam|mijn naam|bedrijf"
    r"|mijn bedrijf|bedrijfsnaam|geheim|anoniem|liever niet|zeg ik niet|gaat je niks aan"
    r"|waarom|hoezo|wat|huh|eh+|uh+|hm+|lol|haha\w*|x+|jan(tje)? (met de|met)? ?korte ?achternaam"
    r"|geen bedrijf|heb ik niet|heb geen bedrijf|zzp|zzp'?er|eenmanszaak|ik|jij|iemand|niemand)$"
)
# Words a sentence has and a name has not ("ik heb een bakkerij in Zwolle").
_SENTENCE_WORDS = re.compile(
    r"(?<![a-z])(ik|je|jij|u|wij|we|ben|bent|is|zijn|heb|hebt|heeft|hebben|wil|wilt|kan|kun|kunt"
    r"|mag|moet|waarom|hoe|wanneer|niet|geen|gaat|doe|doen|wat|weet|snap|vind|graag|even|maar"
    r"|want|omdat|dus|als|dat|dit|die|mijn|jouw|jullie|onze|heet|hoor)(?![a-z])")
MAX_NAME_WORDS = 6
MAX_COMPANY_WORDS = 8


def name_problem(value: str, field: str) -> str | None:
    """Why `value` cannot be a person's name ("name") or a company name ("company"), or None.

    The reason is a text for the user, or "abuse" (the caller answers that in its own way).
    """
    norm = normalize(value).replace(",", " ").strip()
    words = norm.split()
    what = say("check_label_name" if field == "name" else "check_label_company")
    if is_abusive(value):
        return "abuse"
    if not words or _NOT_A_NAME.match(norm):
        return say("check_not_a_name", label=what)
    if "?" in value:
        return say("check_a_question", label=what)
    limit = MAX_NAME_WORDS if field == "name" else MAX_COMPANY_WORDS
    sentence_words = len(_SENTENCE_WORDS.findall(norm))
    if len(words) > limit or (sentence_words >= 2) or (field == "name" and sentence_words):
        return say("check_a_sentence", label=what)
    if field == "name" and re.search(r"\d", value):
        return say("check_name_digits")
    return None
