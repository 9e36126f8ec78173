"""The partner's invitation code (issue 17): two groups of four capitals and digits with a
hyphen, e.g. K7QD-M2XR, from an alphabet without look-alikes (no 0/O, 1/I/L), read back
from what someone types however they space or case it.

Each group holds at least one digit, so no Dutch word ("afspraak", "deze week") reads as a
code; that leaves about 4.1e11 codes."""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
DIGITS = "23456789"
GROUP = 4
_SIGN = f"[{ALPHABET}]"
# Four signs, a hyphen, a space or nothing, four signs; not inside a longer word or number.
_CODE = re.compile(rf"(?<![A-Z0-9])({_SIGN}{{{GROUP}}})[\s-]?({_SIGN}{{{GROUP}}})(?![A-Z0-9])")


def _group() -> str:
    while True:
        signs = "".join(secrets.choice(ALPHABET) for _ in range(GROUP))
        if any(sign in DIGITS for sign in signs):
            return signs


def new_code() -> str:
    return f"{_group()}-{_group()}"


def find_code(text: str) -> str | None:
    """The code in a message ("ik heb een code: k7qd m2xr"), written as K7QD-M2XR, or None."""
    for match in _CODE.finditer(text.upper()):
        groups = match.group(1), match.group(2)
        if all(any(sign in DIGITS for sign in group) for group in groups):
            return "-".join(groups)
    return None
