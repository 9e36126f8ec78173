"""Insults and abuse: never stored as an answer or a contact detail, never sent on.

A word list, on purpose: insults are a small, stable vocabulary, and a false alarm only
costs a calm "laten we het netjes houden" and the same question again. Mild swearing about
the situation ("shit, verkeerde knop") is no insult and is read as usual.
"""

from __future__ import annotations

import re

from mkbscan.reading.text import normalize

_INSULTS = re.compile(
    r"(?<![a-z])("
    r"kut\w*|lul(len)?|eikel\w*|idioot|idioten|debiel\w*|kanker\w*|kk|kkr|tering\w*|tyfus\w*"
    r"|hoer\w*|sukkel\w*|rot (toch )?op|oprotten|flikker\w*|mongool\w*|achterlijk\w*"
    r"|imbeciel\w*|klootzak\w*|zak hooi|trut|stom(me)? (bot|ding|machine|computer|programma)"
    r"|waardeloze? (bot|ding|machine)|(hou|houd) je (bek|kop|mond)|kop dicht|bek dicht"
    r"|val dood|sterf|oplichter\w*|schorem|tuig|randdebiel\w*|gestoord\w*|klojo"
    r"|fuck(ing)?( you| off| u)?|bitch|asshole|stupid (bot|machine)|idiot|moron|retard\w*"
    r"|piss off|shut up|stfu|wtf is dit|dikke? (lul|trut)"
    r")(?![a-z])"
)


def is_abusive(text: str) -> bool:
    return bool(_INSULTS.search(normalize(text)))
