"""Rule-based extraction of contact details from Dutch free text.

The returned values are candidates: the caller still runs them through
:mod:`mkbscan.leads.validation` (e-mail and phone are returned as typed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkbscan.leads.validation import MAX_FIELD_LENGTH, MAX_TEXT_LENGTH, clean_text


@dataclass
class ContactFields:
    name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None


EMAIL_CANDIDATE_RE = re.compile(r"[^\s,;:<>()\[\]\"']+@[^\s,;:<>()\[\]\"']+")
# Dutch and international numbers start with 0 or +, which keeps dates out.
PHONE_CANDIDATE_RE = re.compile(r"(?<![\w+(])(?:\+|\(?0)[\d \-./()]{7,18}\d(?!\w)")

TUSSENVOEGSELS = {
    "de", "der", "den", "van", "ter", "ten", "te", "het", "'t", "’t", "in", "op", "la",
    "le", "du", "von", "da", "di", "del", "dos", "el", "al", "d'", "vd",
}  # fmt: skip

# Lower-case words that are never part of a name; stops "ik ben blij" from yielding a name.
_NOT_NAME_WORDS = {
    "ik", "je", "jij", "u", "we", "wij", "en", "of", "maar", "bij", "uit", "voor", "met", "als",
    "is", "ben", "heet", "werk", "wil", "heb", "hebben", "graag", "ja", "nee", "hoi", "hallo",
    "hey", "hé", "dag", "goedemorgen", "goedemiddag", "goedenavond", "oke", "oké", "ok",
    "prima", "goed", "bedankt", "dank", "dankjewel", "sorry", "eigenaar", "directeur",
    "oprichter", "zelfstandige", "ondernemer", "een", "blij", "bezig", "op", "zoek", "naar",
    "mijn", "ons", "onze", "hier", "dit", "dat", "het", "bedrijf", "bel", "mail", "mailen",
    "bellen", "telefoon", "nummer", "email", "e-mail", "e-mailadres", "adres", "welkom",
}  # fmt: skip

_LEGAL_FORMS = {
    "bv",
    "b.v.",
    "b.v",
    "nv",
    "n.v.",
    "vof",
    "v.o.f.",
    "cv",
    "c.v.",
    "holding",
    "groep",
    "group",
    "ltd",
    "gmbh",
    "bvba",
    "inc",
    "eenmanszaak",
    "coöperatie",
}
_SECTOR_WORDS = {
    "metaal", "logistiek", "transport", "bouw", "installatie", "techniek", "advies", "consultancy",
    "services", "service", "solutions", "design", "studio", "kapsalon", "garage", "restaurant",
    "café", "cafe", "hotel", "winkel", "webshop", "handel", "fabriek", "machines", "productie",
    "software", "media", "marketing", "communicatie", "catering", "schoonmaak", "kinderopvang",
    "bloemist", "kwekerij", "praktijk", "bureau", "atelier", "salon", "makelaardij", "zorg",
    "metaalbewerking", "recycling", "energie", "verhuur", "import", "export", "partners",
}  # fmt: skip
_SECTOR_SUFFIXES = (
    "erij",
    "derij",
    "bedrijf",
    "bureau",
    "techniek",
    "handel",
    "groep",
    "centrum",
    "logistiek",
    "kantoor",
    "winkel",
    "fabriek",
    "praktijk",
)

# Placeholders keep "B.V." from being split as the end of a sentence.
_DOT_PROTECT = "\u2024"
_LEGAL_DOTTED_RE = re.compile(r"\b(B\.V\.?|N\.V\.?|V\.O\.F\.?|C\.V\.?)(?=\s|$|[,;!?)])", re.I)

_CONTACT_LEAD_INS_RE = re.compile(
    r"\b(?:je|u)\s+(?:kunt|kan|mag)\s+(?:me|mij)\s+(?:mailen|bellen|bereiken|appen)"
    r"(?:\s+(?:op|via))?"
    r"|\b(?:bel|mail|app|sms)\s+(?:me|mij)(?:\s+(?:op|via|gerust))*"
    r"|\bmijn\s+(?:e-?mail(?:adres)?|mailadres|(?:telefoon)?nummer|mobiel(?:e nummer)?|tel)"
    r"\s*(?:is|:)?"
    r"|\b(?:e-?mail(?:adres)?|tel(?:efoon)?|mobiel|nummer)\s*:"
    r"|\b(?:bereikbaar|te bereiken)\s+(?:op|via)",
    re.IGNORECASE,
)
_COMPANY_LEAD_IN_RE = re.compile(
    r"\b(?:ik\s+werk\s+(?:bij|voor)|werkzaam\s+bij|ik\s+zit\s+bij"
    r"|(?:het|ons|mijn)\s+bedrijf\s+(?:heet|is|:)|(?:we|wij)\s+heten"
    r"|ik\s+ben\s+(?:de\s+)?(?:eigenaar|directeur|oprichter|mede-eigenaar|dga)\s+(?:van|bij)"
    r"|(?:ik\s+bel\s+)?namens|bedrijf(?:snaam)?\s*(?::|is\b)?"
    r"|(?:zaakvoerder|eigenaar|directeur|oprichter|mede-eigenaar|dga)\s+(?:van|bij)"
    r"|(?:ik|we|wij)\s+(?:heb|hebben|run|runnen)\s+(?:een\s+)?[\w-]+(?:bedrijf|zaak|winkel"
    r"|bureau|praktijk|salon|kantoor|atelier|erij)\s*(?:,|:|genaamd|dat\s+heet|met\s+de\s+naam)"
    r")\s+(?P<rest>.+)",
    re.IGNORECASE,
)
_NAME_LEAD_IN_LOOSE_RE = re.compile(
    r"\b(?:mijn\s+naam\s+is|ik\s+heet|(?:mijn\s+)?naam\s*:|^\s*naam|vraag\s+naar"
    r"|groeten,?|groet,?|gr(?:oetjes)?,?)\s+(?P<rest>.+)", re.IGNORECASE
)
_NAME_LEAD_IN_STRICT_RE = re.compile(
    r"(?:\bik\s+ben|^\s*hier|^\s*met|\bdit\s+is|\bhier\s+is|\bje\s+spreekt\s+met)\s+(?P<rest>.+)",
    re.IGNORECASE,
)
_COMPANY_TAIL_STOP_RE = re.compile(
    r"\s+(?:en\s+(?:ik|we|wij|mijn|ons)|maar|ik|wij|we|mijn)\b.*$", re.IGNORECASE
)
_CLAUSE_SPLIT_RE = re.compile(r"[,;\n]|(?<=[.!?])\s+|\s+-\s+")
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_WORD_RE = re.compile(r"^[^\W\d_][\w'’-]*$|^'t$|^’t$")


def _protect(text: str) -> str:
    return _LEGAL_DOTTED_RE.sub(lambda m: m.group(1).replace(".", _DOT_PROTECT), text)


def _restore(text: str) -> str:
    return text.replace(_DOT_PROTECT, ".")


def _is_company_word(word: str) -> bool:
    w = _restore(word).lower().strip(".,")
    return w in _LEGAL_FORMS or w in _SECTOR_WORDS or w.endswith(_SECTOR_SUFFIXES)


def looks_like_company(text: str) -> bool:
    return any(_is_company_word(w) for w in text.split())


def _is_name_word(word: str, strict: bool) -> bool:
    if not _WORD_RE.match(word) or word.lower() in _NOT_NAME_WORDS:
        return False
    if strict and not word[0].isupper():
        return False
    return not _is_company_word(word)


def _parse_name(words: list[str], strict: bool) -> tuple[list[str], int, bool]:
    """Take the longest name at the start of words.

    Returns (name words, index where the rest starts, whether the rest was introduced by "van"
    meaning "from <company>").
    """
    name: list[str] = []
    has_tussen = False
    i = 0
    while i < len(words) and len(name) < 8:
        word = words[i]
        lower = word.lower()
        if lower in TUSSENVOEGSELS and name:
            k = i
            while k < len(words) and words[k].lower() in TUSSENVOEGSELS:
                k += 1
            # "Anne de Vries van Bakkerij Zon": "van" after a full name introduces the company.
            if (
                lower == "van"
                and k < len(words)
                and (
                    looks_like_company(" ".join(words[i + 1 :]))
                    or (len(name) >= 2 and (has_tussen or k == i + 1))
                )
            ):
                return name, i + 1, True
            if k >= len(words) or not _is_name_word(words[k], strict):
                break
            name.extend(words[i : k + 1])
            has_tussen = True
            i = k + 1
        elif _is_name_word(word, strict):
            name.append(word)
            i += 1
        else:
            break
    return name, i, False


def _trim(value: str, max_len: int = MAX_FIELD_LENGTH) -> str | None:
    value = _restore(value).strip(" \t.,;:!?\"'")
    # A trailing legal form keeps its dot ("Bakkerij Zon B.V.").
    if re.search(r"\b(?:B\.V|N\.V|V\.O\.F|C\.V)$", value, re.IGNORECASE):
        value += "."
    value = clean_text(value, max_len)
    return value or None


_COMPANY_PLACE_RE = re.compile(r"\s+(?:in|uit|te)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?[\s.!]*$")


def _company_from(rest: str) -> str | None:
    company = _COMPANY_TAIL_STOP_RE.sub("", rest)
    company = _COMPANY_PLACE_RE.sub("", company)  # "Chocolaterie Dubois in Leuven"
    return _trim(re.sub(r"^(?:van|is|:)\s+", "", company.strip()))  # not "Van Dam Logistiek"


def _name_from(rest: str, strict: bool) -> tuple[str | None, str | None]:
    """Name (and company introduced by "van ...") from the text after a name lead-in."""
    words = rest.split()
    name, end, via_van = _parse_name(words, strict)
    if not name:
        return None, None
    company = _company_from(" ".join(words[end:])) if via_van and end < len(words) else None
    return _trim(" ".join(name)), company


def _remove_contact_data(text: str, fields: ContactFields) -> str:
    email = EMAIL_CANDIDATE_RE.search(text)
    if email:
        fields.email = email.group(0).rstrip(".")
        text = text[: email.start()] + " , " + text[email.end() :]
    phone = PHONE_CANDIDATE_RE.search(text)
    if phone:
        fields.phone = phone.group(0).strip()
        text = text[: phone.start()] + " , " + text[phone.end() :]
    return _CONTACT_LEAD_INS_RE.sub(" , ", text)


def extract_contact(text: str) -> ContactFields:
    """Find name, company, e-mail and phone in one Dutch message."""
    fields = ContactFields()
    work = _protect(clean_text(text or "", 2000))
    work = _remove_contact_data(work, fields)

    parenthesized = [p.strip() for p in _PAREN_RE.findall(work) if p.strip()]
    work = _PAREN_RE.sub(" , ", work)

    leftovers: list[str] = []
    for clause in _CLAUSE_SPLIT_RE.split(work):
        clause = clause.strip()
        if not clause:
            continue
        company_match = _COMPANY_LEAD_IN_RE.search(clause)
        if company_match:
            fields.company = fields.company or _company_from(company_match.group("rest"))
        name_part = clause[: company_match.start()] if company_match else clause
        for pattern, strict in ((_NAME_LEAD_IN_LOOSE_RE, False), (_NAME_LEAD_IN_STRICT_RE, True)):
            match = pattern.search(name_part)
            if not match:
                continue
            name, company = _name_from(match.group("rest"), strict)
            if name:
                fields.name = fields.name or name
                fields.company = fields.company or company
                break
        else:
            if not company_match:
                leftovers.append(clause)

    # Bare clauses without lead-in, e.g. "Anne de Vries, Bakkerij Zon".
    for clause in leftovers + parenthesized:
        words = clause.split()
        if len(words) > 10:
            continue
        name_words, end, via_van = _parse_name(words, strict=True)
        if name_words and via_van and fields.name is None:
            fields.name = _trim(" ".join(name_words))
            fields.company = fields.company or _company_from(" ".join(words[end:]))
        elif looks_like_company(clause):
            fields.company = fields.company or _company_from(clause)
        elif name_words and end == len(words) and len(words) <= 6:
            if fields.name is None:
                fields.name = _trim(clause)
            elif fields.company is None:
                # A second capitalised phrase after the name: "hier Kees (Berg Logistiek)".
                fields.company = _trim(clause)
    return fields


_SINGLE_LEAD_INS: dict[str, re.Pattern[str]] = {
    "name": re.compile(
        r"^(?:(?:hoi|hallo|hey|ja|oké|oke|ok|prima|goed)[,!. ]+)*"
        r"(?:mijn\s+naam\s+is|ik\s+heet|ik\s+ben|naam\s*:|dit\s+is|je\s+spreekt\s+met|met)\s+",
        re.IGNORECASE,
    ),
    "company": re.compile(
        r"^(?:(?:ja|oké|oke|ok|prima|goed)[,!. ]+)*"
        r"(?:(?:het|ons|mijn)\s+bedrijf\s+(?:heet|is)|(?:de\s+)?bedrijfsnaam\s+is"
        r"|(?:we|wij)\s+heten|(?:we|wij)\s+zijn|ik\s+werk\s+(?:bij|voor)|werkzaam\s+bij"
        r"|ik\s+ben\s+(?:de\s+)?(?:eigenaar|directeur|oprichter)\s+van|het\s+is|dat\s+is"
        r"|bedrijf(?:snaam)?\s*:|namens)\s+",
        re.IGNORECASE,
    ),
}


def extract_single(field: str, text: str) -> str | None:
    """The value for one field the bot explicitly asked for ("name", "company", "email",
    "phone", "preferred_moment" or "question"); a bare answer is taken as the value."""
    if field in ("preferred_moment", "question"):
        return clean_text(text or "", MAX_TEXT_LENGTH) or None
    cleaned = clean_text(text or "", 2000)
    if field == "email":
        match = EMAIL_CANDIDATE_RE.search(cleaned)
        return match.group(0).rstrip(".") if match else (cleaned or None)
    if field == "phone":
        match = PHONE_CANDIDATE_RE.search(cleaned)
        return match.group(0).strip() if match else (cleaned or None)
    if field not in _SINGLE_LEAD_INS:
        raise ValueError(f"unknown field: {field}")
    rest = _protect(_SINGLE_LEAD_INS[field].sub("", cleaned, count=1))
    if field == "name":
        rest = re.split(r"[,;()]", rest, maxsplit=1)[0]
        words = rest.split()
        name, end, _ = _parse_name(words, strict=False)
        # Only cut when the rest is clearly not part of the name ("Anne, van Bakkerij Zon").
        if name and end < len(words):
            return _trim(" ".join(name))
        return _trim(rest)
    return _trim(rest)
