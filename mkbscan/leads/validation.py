"""Validation and normalisation of the contact details a lead leaves behind.

All functions are pure. Error messages are shown to the user; their text is in
mkbscan/content/lead_checks.yml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mkbscan.wording import say

MAX_FIELD_LENGTH = 200
MAX_TEXT_LENGTH = 500
MAX_EMAIL_LENGTH = 254

_WHITESPACE_RE = re.compile(r"\s+")


def _strip_controls(value: str) -> str:
    # Control characters (\r, \n, \x00, ...) become spaces so "a\nb" does not turn into "ab".
    # Format characters are kept: the zero-width joiner is part of many emoji.
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)


def _clean(value: str) -> str:
    text = unicodedata.normalize("NFC", _strip_controls(value))
    return _WHITESPACE_RE.sub(" ", text).strip()


def clean_text(value: str, max_len: int) -> str:
    """Strip, remove control characters, collapse whitespace, NFC-normalise and cut to max_len."""
    return _clean(value)[:max_len].rstrip()


# --- e-mail -----------------------------------------------------------------------------------

_LOCAL_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_TLD_RE = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_FORBIDDEN_EMAIL_CHARS = set(' \t\r\n\x00,;:<>()[]\\"')

# Mail providers Dutch entrepreneurs commonly use, with the top-level domains they really serve.
_PROVIDERS: dict[str, tuple[str, ...]] = {
    "gmail": ("com",),
    "googlemail": ("com",),
    "hotmail": ("com", "nl", "be"),
    "outlook": ("com", "nl", "be"),
    "live": ("nl", "com", "be"),
    "yahoo": ("com", "nl"),
    "icloud": ("com",),
    "ziggo": ("nl",),
    "kpnmail": ("nl",),
    "kpnplanet": ("nl",),
    "planet": ("nl",),
    "xs4all": ("nl",),
    "upcmail": ("nl",),
    "casema": ("nl",),
    "chello": ("nl",),
    "telfort": ("nl",),
    "home": ("nl",),
    "msn": ("com",),
    "protonmail": ("com",),
    "proton": ("me",),
    "mail": ("com",),
    "email": ("com",),
}
_COMMON_TLDS = ("com", "nl", "be", "org", "net", "eu", "me")

# Short provider names give too many false positives with edit distance; list their typos.
_EXPLICIT_TYPOS: dict[str, str] = {
    "lve": "live",
    "liv": "live",
    "lieve": "live",
    "livee": "live",
    "mns": "msn",
    "hom": "home",
    "hoem": "home",
}


@dataclass(frozen=True)
class EmailCheck:
    ok: bool
    email: str | None = None
    suggestion: str | None = None
    error: str | None = None


def _damerau(a: str, b: str) -> int:
    """Optimal string alignment distance (edits incl. swapping two neighbours)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _closest(word: str, candidates: tuple[str, ...] | list[str], max_dist: int) -> str | None:
    best: tuple[int, str] | None = None
    for cand in candidates:
        dist = _damerau(word, cand)
        if dist <= max_dist and (best is None or dist < best[0]):
            best = (dist, cand)
    return best[1] if best else None


def _suggest_domain(domain: str) -> str | None:
    labels = domain.split(".")
    if len(labels) != 2:
        return None
    name, tld = labels
    if name in _PROVIDERS:
        if tld in _PROVIDERS[name]:
            return None
        fixed_tld = _closest(tld, _PROVIDERS[name], 1) or _closest(tld, list(_COMMON_TLDS), 1)
        if fixed_tld in _PROVIDERS[name]:
            return f"{name}.{fixed_tld}"
        # e.g. gmail.nl: the provider does not exist under that TLD.
        return f"{name}.{_PROVIDERS[name][0]}"
    provider = _EXPLICIT_TYPOS.get(name)
    if provider is None and len(name) >= 4:
        provider = _closest(
            name, [p for p in _PROVIDERS if len(p) >= 5], 2 if len(name) >= 8 else 1
        )
    if provider is None:
        return None
    if tld in _PROVIDERS[provider]:
        return f"{provider}.{tld}"
    fixed_tld = _closest(tld, _PROVIDERS[provider], 1)
    return f"{provider}.{fixed_tld or _PROVIDERS[provider][0]}"


def validate_email(text: str) -> EmailCheck:
    """Check an e-mail address; likely typos of common providers give a suggestion."""
    raw = (text or "").strip()
    if raw.lower().startswith("mailto:"):
        raw = raw[len("mailto:") :]
    if not raw:
        return EmailCheck(False, error=say("check_email_missing"))
    if len(raw) > MAX_EMAIL_LENGTH:
        return EmailCheck(False, error=say("check_email_too_long"))
    if any(ch in _FORBIDDEN_EMAIL_CHARS or unicodedata.category(ch) == "Cc" for ch in raw):
        return EmailCheck(False, error=say("check_email_characters"))
    if raw.count("@") != 1:
        return EmailCheck(False, error=say("check_email_one_at"))
    local, domain = raw.split("@")
    domain = domain.lower()
    labels = domain.split(".")
    if (
        not local
        or len(local) > 64
        or not _LOCAL_RE.match(local)
        or len(labels) < 2
        or not all(_LABEL_RE.match(label) for label in labels)
        or not _TLD_RE.match(labels[-1])
    ):
        return EmailCheck(False, error=say("check_email_invalid"))
    email = f"{local}@{domain}"
    suggested = _suggest_domain(domain)
    return EmailCheck(True, email=email, suggestion=f"{local}@{suggested}" if suggested else None)


# --- phone ------------------------------------------------------------------------------------

_PHONE_ALLOWED_RE = re.compile(r"^[0-9+\s\-./()]+$")
# Dutch area codes with two digits after the 0; the rest have three.
_TWO_DIGIT_AREAS = {
    "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45",
    "46", "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
    "84", "85", "87", "88", "91",
}  # fmt: skip
_SERVICE_PREFIXES = ("800", "900", "906", "909")


@dataclass(frozen=True)
class PhoneCheck:
    ok: bool
    e164: str | None = None
    display: str | None = None
    error: str | None = None


def _dutch(national: str) -> PhoneCheck:
    """national: the digits after the leading 0 / +31."""
    if national.startswith(_SERVICE_PREFIXES):
        if len(national) in (7, 10):
            return PhoneCheck(True, f"+31{national}", f"0{national[:3]}-{national[3:]}")
        return PhoneCheck(False, error=say("check_phone_length"))
    if len(national) != 9 or national[0] == "0":
        return PhoneCheck(False, error=say("check_phone_length"))
    if national[0] == "6":
        display = f"06-{national[1:]}"
    elif national[:2] in _TWO_DIGIT_AREAS:
        display = f"0{national[:2]}-{national[2:]}"
    else:
        display = f"0{national[:3]}-{national[3:]}"
    return PhoneCheck(True, f"+31{national}", display)


def normalize_phone(text: str) -> PhoneCheck:
    """Normalise a Dutch (or international, +/00 prefixed) phone number to E.164."""
    raw = _clean(text or "")
    if not raw:
        return PhoneCheck(False, error=say("check_phone_missing"))
    if not _PHONE_ALLOWED_RE.match(raw):
        return PhoneCheck(False, error=say("check_phone_characters"))
    # "+31 (0)6 ..." — the (0) is the trunk prefix that is dropped when dialling internationally.
    compact = re.sub(r"\(\s*0\s*\)", "", raw)
    if compact.count("+") > 1 or ("+" in compact and not compact.startswith("+")):
        return PhoneCheck(False, error=say("check_phone_invalid"))
    digits = re.sub(r"\D", "", compact)
    if compact.startswith("+") or digits.startswith("00"):
        international = digits[2:] if not compact.startswith("+") else digits
        if international.startswith("31"):
            national = international[2:]
            if national.startswith("0"):
                national = national[1:]
            return _dutch(national)
        if not 8 <= len(international) <= 15 or international[0] == "0":
            return PhoneCheck(False, error=say("check_phone_length"))
        return PhoneCheck(True, f"+{international}", f"+{international}")
    if digits.startswith("0"):
        return _dutch(digits[1:])
    return PhoneCheck(False, error=say("check_phone_prefix"))


# --- name and company ------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldCheck:
    ok: bool
    value: str | None = None
    error: str | None = None


_EMAIL_LIKE_RE = re.compile(r"\S+@\S+")
_URL_LIKE_RE = re.compile(
    r"(?:https?://|www\.)|\b[\w-]+\.(?:nl|com|org|net|eu|be|de|io|info|biz)\b", re.IGNORECASE
)


def _check_text_field(text: str, field: str) -> FieldCheck:
    """field: "name" or "company"."""
    value = _clean(text or "")
    label = say(f"check_label_{field}")
    if not value:
        return FieldCheck(False, error=say("check_text_missing", label=label))
    if len(value) > MAX_FIELD_LENGTH:
        return FieldCheck(False, error=say("check_text_too_long", label=label,
                                           limit=MAX_FIELD_LENGTH))
    if "<" in value or ">" in value:
        return FieldCheck(False, error=say("check_text_brackets", label=label))
    example = say(f"check_example_{field}")
    if not any(ch.isalpha() for ch in value):
        return FieldCheck(False, error=say("check_text_no_letter", label=label, example=example))
    if _EMAIL_LIKE_RE.search(value):
        return FieldCheck(False, error=say("check_text_email", label=label, example=example))
    return FieldCheck(True, value=value)


def validate_name(text: str) -> FieldCheck:
    """A person's name: letters required; no HTML, e-mail address or web address."""
    check = _check_text_field(text, "name")
    if check.ok and check.value and _URL_LIKE_RE.search(check.value):
        return FieldCheck(False, error=say("check_name_web_address"))
    return check


def validate_company(text: str) -> FieldCheck:
    """A company name. SQL-looking text is accepted as literal text: it is stored via parameters."""
    return _check_text_field(text, "company")
