"""Free-text answer parsing: the five-level scale and the context questions.

Pure functions on the text the user typed (or the button text they clicked). Each context
question in questions.yml names its reader (`reads`: sector, partner or size); the readers
give a value, and questions.yml the label the bot repeats and the advisor reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkbscan.reading.rules import read_rules
from mkbscan.reading.text import normalize as normalize_clauses
from mkbscan.scan.questions import FREE_TEXT, ContextQuestion, ScanContent, load_content

Level = int | None  # 0..3, None = "Weet ik niet"
_COMMAS = re.compile(r"\s*,\s*")


@dataclass(frozen=True)
class ScaleAnswer:
    level: Level


def normalize(text: str) -> str:
    """Lowercase, no accents or punctuation, one space (mkbscan.reading.text, without commas)."""
    return _COMMAS.sub(" ", normalize_clauses(text)).strip()


def parse_scale(text: str) -> ScaleAnswer | None:
    """The level that the cue words of a free-text answer name, or None if they name none.

    Cue words only (mkbscan.reading.rules); mkbscan.reading.reader adds the learned model and
    says when to ask back.
    """
    reading = read_rules(text)
    return ScaleAnswer(level=reading.level) if reading else None


# --- What the collaboration is for (reads: sector) --------------------------------------

C1_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("circulaire keten", r"circulair\w*|hergebruik\w*|grondstof\w*|recycl\w*|kringloop|reststro\w*"
     r"|afval\w*|refurbish\w*|keten\w*|upcycl\w*|cradle|duurzaam\w*"),
    ("IT", r"it|ict|software|automatisering|hosting|cloud|systemen|systeem|digitali\w*|website"
     r"|app|data|netwerk|computers?|helpdesk|erp|cyber\w*"),
    ("HR", r"hr|personeel\w*|werving|recruit\w*|salaris\w*|payroll\w*|medewerkers|opleid\w*"
     r"|uitzend\w*|detachering"),
    ("logistiek/inkoop", r"logistie\w*|transport\w*|inkoop\w*|inkopen|opslag|distributie"
     r"|warehous\w*|magazijn\w*|supply chain|leverancier\w*|vervoer|verzend\w*|bezorg\w*"),
    ("innovatie/productontwikkeling", r"innova\w*|productontwikkel\w*|ontwikkel\w*|nieuw product"
     r"|r ?&? ?d|r en d|research|onderzoek|prototype\w*|uitvind\w*|vernieuw\w*"),
    ("productie", r"productie|produc\w*|fabric\w*|fabriek|assemblage|maakwerk|maakindustrie"
     r"|machin\w*|onderdelen|halffabricat\w*|verpak\w*|bouw\w*|laswerk|metaal\w*"),
)
_C1_COMPILED = tuple(
    (name, re.compile(rf"(?<![a-z0-9])({pattern})(?![a-z0-9])")) for name, pattern in C1_CATEGORIES
)
_JOINT_PURCHASING = re.compile(r"(?<![a-z])(inkoop|inkopen|aankoop|aankopen|inkoopcombinatie)"
                               r"(?![a-z])")
_C1_OTHER = re.compile(r"(?<![a-z])(anders|iets anders|overig\w*|andere)(?![a-z])")
MAX_FREE_TEXT = 200


@dataclass(frozen=True)
class ContextAnswer:
    value: str  # a category, or "anders: <text>"
    label: str  # what the bot repeats back and the advisor reads


def read_sector(text: str, question: ContextQuestion, *,
                allow_free_text: bool = True) -> ContextAnswer | None:
    norm = normalize(text)
    if not norm:
        return None
    if _JOINT_PURCHASING.search(norm):  # "inkoop van grondstoffen" is purchasing
        return _labelled(question, "logistiek/inkoop")
    for name, pattern in _C1_COMPILED:
        if pattern.search(norm):
            return _labelled(question, name)
    if _C1_OTHER.fullmatch(norm) or norm in {"iets anders", "anders namelijk"}:
        return _labelled(question, "anders")
    words = re.findall(r"[a-z]{3,}", norm)
    if words and allow_free_text:
        free = re.sub(r"\s+", " ", text).strip()[:MAX_FREE_TEXT]
        return ContextAnswer(value=f"anders: {free}",
                             label=question.labels[FREE_TEXT].format(text=free))
    return None


def _labelled(question: ContextQuestion, value: str) -> ContextAnswer:
    return ContextAnswer(value=value, label=question.labels[value])


# --- Which partner (reads: partner) -----------------------------------------------------

_C2_NONE = re.compile(r"nog geen|geen partner|niemand|nog niemand|niet op het oog|geen idee"
                      r"|weet (ik )?(nog )?niet|nog (aan het )?zoeken|zoek(en)? nog|nog onbekend"
                      r"|aan het zoeken|op zoek|nee,? nog niet|^nee\b|^geen\b|^nog niet\b")
_C2_NEW = re.compile(r"nieuw\w*|onbekende|andere partij|iemand anders|nog (nooit|niet) (eerder )?"
                     r"(mee )?(gewerkt|samengewerkt|iets samen)|nog nooit|vreemde|in gesprek"
                     r"|gesproken|ontmoet|leren kennen|start-?up|concurrent\w*|eerste contact")
_C2_EXISTING = re.compile(r"bestaand\w*|huidig\w*|vast\w*|leverancier\w*|klant\w*|afnemer\w*"
                          r"|al jaren|al lang|kennen (we|wij|ik)|ken (ik|ze|we)|bekend\w*"
                          r"|partner van nu|nu (al|ook)|al (\d+|een paar|heel wat|veel) jaar"
                          r"|waar we (nu )?(al|ook)|doen we al|groothandel|huisbank")


def read_partner(text: str, question: ContextQuestion, *,
                 allow_free_text: bool = True) -> ContextAnswer | None:
    norm = normalize(text)
    if _C2_NEW.search(norm) and not re.search(r"nieuwe (partner|partij) (zoeken|vinden)", norm):
        return _labelled(question, "nieuw")
    if _C2_NONE.search(norm):
        return _labelled(question, "geen")
    if _C2_EXISTING.search(norm):
        return _labelled(question, "bestaand")
    return None


# --- Company size (reads: size) -----------------------------------------------------------

_UNITS = {
    "een": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9,
}
_TEENS = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
}
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90,
}
_GROUP = {"tweeen": 2, "drieen": 3, "vieren": 4, "vijven": 5, "zessen": 6, "zevenen": 7,
          "achten": 8, "negenen": 9, "tienen": 10, "elven": 11, "twaalven": 12}
# "alleen" only counts with a person ("ik werk alleen"), not in "alleen als het moet".
_SOLO = re.compile(r"alleen ik|ik alleen|in mijn (een)?tje|in m'n (een)?tje|mijn eentje"
                   r"|zzp\w*|(ik|we) (werk|ben|zit|doe het|run het)\w* (helemaal )?alleen"
                   r"|eenmanszaak|eenmansbedrijf|solo|zelfstandige|freelance\w*|alleen mezelf"
                   r"|alleen mij|1 man|1 persoon|een persoon|eenpitter|just me|only me")
# Not about the number of people: a question number, a time, a price.
_NOT_A_SIZE = re.compile(r"vraag \d|\d+ ?(minuut|minuten|minuutjes|uur|sec|seconden|euro|eur"
                         r"|procent|%|jaar|dagen|weken)|(minuut|minuutjes|momentje|even) ?\d")
# Words for one more person besides the numbers ("twee vaste krachten en ik").
_SELF = re.compile(r"(en|plus|\+|met) (ik|mij|mezelf|mijzelf)(?![a-z])|(ik|mezelf) (en|plus|\+)"
                   r" ")
_INCLUDED = re.compile(r"meegerekend|inclusief|incl|met mij erbij|mezelf erbij")
_ONE_PERSON = re.compile(r"(mijn|m'n|onze|ons|een|1) (vrouw|man(?! of)|partner|compagnon|vennoot"
                         r"|broer"
                         r"|zus|vader|moeder|zoon|dochter|stagiair\w*|collega|assistent\w*"
                         r"|zzp'?er|oproepkracht|werknemer|medewerker)(?![a-z])")


def dutch_number(word: str) -> int | None:
    """Parse a Dutch number word up to 9999 ("vijfentwintig", "honderdtwintig")."""
    word = word.replace("ë", "e").replace("-", "")
    if not word:
        return None
    if word.isdigit():
        return int(word)
    for big, factor in (("duizend", 1000), ("honderd", 100)):
        if big in word:
            head, _, tail = word.partition(big)
            multiplier = dutch_number(head) if head else 1
            rest = dutch_number(tail.removeprefix("en")) if tail else 0
            if multiplier is None or rest is None:
                return None
            return multiplier * factor + rest
    if word in _UNITS:
        return _UNITS[word]
    if word in _TEENS:
        return _TEENS[word]
    if word in _TENS:
        return _TENS[word]
    for tens_word, tens in _TENS.items():
        if word.endswith("en" + tens_word):
            unit = word[: -len("en" + tens_word)]
            if unit in _UNITS:
                return _UNITS[unit] + tens
    return None


def _numbers_in(norm: str) -> list[int]:
    numbers: list[int] = []
    for token in re.findall(r"[a-z0-9]+", norm.replace("'", "")):
        if token in _GROUP:
            numbers.append(_GROUP[token])
            continue
        value = dutch_number(token)
        if value is not None and not (token == "een" and numbers):
            numbers.append(value)
    return numbers


def read_size(text: str, question: ContextQuestion, *,
              allow_free_text: bool = True) -> ContextAnswer | None:
    norm = normalize(text)
    if _SOLO.search(norm):
        return ContextAnswer(value="1", label=question.size_label(1))
    if _NOT_A_SIZE.search(norm):
        return None
    cleaned = re.sub(r"(\d)[.\s](\d{3})(?!\d)", r"\1\2", norm)  # 1.200 -> 1200
    numbers = [n for n in _numbers_in(cleaned) if 0 < n < 1_000_000]
    if "een" in cleaned.split() and len(numbers) > 1:
        numbers = [n for n in numbers if n != 1] or numbers
    people = len(_ONE_PERSON.findall(cleaned))
    self_too = bool(_SELF.search(cleaned)) and not _INCLUDED.search(cleaned)
    if not numbers and not people:
        return None
    if re.search(r"(\d+|[a-z]+) ?(of|en) ?meer|meer dan|ruim|boven|\+ *$", cleaned):
        estimate = max(numbers or [people])
    elif len(numbers) >= 2 and re.search(r"tussen|tot|-|a |à|of", cleaned):
        low, high = sorted(numbers[:2])
        estimate = round((low + high) / 2)
        label = question.labels["range"].format(low=low, high=high,
                                                size=question.size_label(estimate))
        return ContextAnswer(value=str(estimate), label=label)
    elif len(numbers) >= 2 and re.search(r" en |plus|\+", cleaned):
        estimate = sum(numbers) + int(self_too)  # "zes op de vloer en twee op kantoor"
    else:
        counted = [n for n in numbers if n != 1] if people else numbers
        estimate = (counted[0] if counted else 0) + people + int(self_too)
    label = question.labels["count"].format(count=estimate, size=question.size_label(estimate))
    return ContextAnswer(value=str(estimate), label=label)


# A company size told in passing ("ik heb een IT-bureau met 12 mensen"): a number with a
# word for people, so "over 5 minuten" or "3 vragen" never count.
_SIZE_IN_PASSING = re.compile(
    r"(\d+|[a-z]+) (mensen|man|medewerkers|werknemers|personen|collega'?s|fte|krachten"
    r"|personeelsleden|man personeel|mensen in dienst)(?![a-z])|met (z'?n|ons) [a-z]+en(?![a-z])")


def context_in_passing(text: str,
                       content: ScanContent | None = None) -> dict[str, ContextAnswer]:
    """Context answers told before the scan asks them ("Hallo, ik ben Sanne, ik heb een klein
    IT-bureau met 12 mensen"): a sector the reader knows, and a size with a people word."""
    content = content or load_content()
    found: dict[str, ContextAnswer] = {}
    sector_question = content.context_reading("sector")
    if sector_question is not None:
        sector = read_sector(text, sector_question, allow_free_text=False)
        if sector is not None and sector.value != "anders":
            found[sector_question.id] = sector
    size_question = content.context_reading("size")
    norm = normalize(text)
    if size_question is not None and (_SOLO.search(norm) or _SIZE_IN_PASSING.search(norm)):
        size = read_size(text, size_question)
        if size is not None:
            found[size_question.id] = size
    return found


READERS = {"sector": read_sector, "partner": read_partner, "size": read_size}


def parse_context(question_id: str, text: str, content: ScanContent | None = None, *,
                  allow_free_text: bool = True) -> ContextAnswer | None:
    question = (content or load_content()).context_by_id(question_id)
    return READERS[question.reads](text, question, allow_free_text=allow_free_text)


# --- Yes or no, for confirmations the NLU was unsure about -----------------------------

# Words that answer a yes/no question wherever they stand ("dat wil ik graag", "nee, ik
# doe het zelf") ...
_STRONG_YES = re.compile(r"(?<![a-z])(ja|jawel|jazeker|jep|jup|yes|ok|oke|okay|akkoord|graag"
                         r"|doe maar(?! niet)|ga je gang|ewa|geen probleem|geen bezwaar)(?![a-z])")
_STRONG_NO = re.compile(r"(?<![a-z])(nee|neen|nope|liever niet|doe maar niet|laat maar|toch niet"
                        r"|zeker niet|absoluut niet|helemaal niet|annuleer)(?![a-z])")
# ... and words that answer only in a short reply that is no question: "niet nodig" is a
# no, "ik hoor niks van hem, is hij al bezig?" is not, nor "kost dat niks?".
_WEAK_YES = re.compile(r"(?<![a-z])(prima|goed|zeker|klopt|inderdaad|top|uiteraard)(?![a-z])")
_WEAK_NO = re.compile(r"(?<![a-z])(niet|geen|nooit|niks|niets|stop|fout|verkeerd|onjuist"
                      r"|incorrect)(?![a-z])")
SHORT_REPLY_WORDS = 6
# A question counts as a yes or no only when it opens with one: "ja, wat kost dat?"
OPENING_WORDS = 2


def parse_yes_no(text: str) -> bool | None:
    """True for a clear yes, False for a clear no, None when unclear or mixed: a strong word
    ("ja", "graag", "liever niet") outweighs a weak one ("prima", "niet")."""
    norm = normalize(text)
    words = norm.split()
    if "?" in text:
        norm = " ".join(words[:OPENING_WORDS])
    yes, no = bool(_STRONG_YES.search(norm)), bool(_STRONG_NO.search(norm))
    if not yes and not no and "?" not in text and len(words) <= SHORT_REPLY_WORDS:
        yes, no = bool(_WEAK_YES.search(norm)), bool(_WEAK_NO.search(norm))
    if yes == no:
        return None
    return yes
