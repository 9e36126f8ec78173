"""One verdict on a typed answer: the level, and whether the bot may note it without asking.

The cue reading (mkbscan.reading.rules) and the ordinal model are weighed by the stacked
meta model (mkbscan.reading.model.AnswerReader) into one probability per level. The bot
notes the likeliest level when it is likely enough, and otherwise asks back with the two
(or three) likeliest. Every form of "weet ik niet" the cue words know is noted as unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mkbscan.reading.features import LEVELS, asked_key
from mkbscan.reading.rules import Level, RuleReading, read_rules
from mkbscan.reading.saved import trained_reader
from mkbscan.reading.text import normalize

# Noted at once from this probability on (chosen by cross-validation on the training data,
# docs/nlu.md); below ASK_FROM, with no cue word either, the text is no answer at all.
SURE = 0.55
ASK_FROM = 0.40
# ... and only if the runner-up is this far behind: a close second is a reason to ask.
MARGIN = 0.30
BACKED_MARGIN = 0.20  # when a qualifier cue names the same level
# A short answer (up to SHORT words) that is a qualifier phrase (strength 3 and up) is
# read by its words: the model learned from sentences.
SHORT, SHORT_FIRM = 4, 3
# Two options offered unless together they are less likely than this: then three.
TWO_OPTIONS_COVER = 0.75


@dataclass(frozen=True)
class Reading:
    level: Level
    sure: bool
    options: tuple[Level, ...] = ()  # when unsure: the levels to offer, most likely first


def _apart(a: Level, b: Level) -> int:
    """How far two readings are apart; "weet ik niet" scores as 0, so it is next to "nee"."""
    if a is None or b is None:
        return 0 if a == b else 1 if 0 in (a, b) else 2
    return abs(a - b)


def decide(rules: RuleReading | None, probabilities: Sequence[float],
           text: str = "") -> Reading | None:
    if rules is not None and rules.level is None:
        return Reading(None, True)  # every form of "weet ik niet" is unknown
    order = sorted(range(len(LEVELS)), key=lambda i: -probabilities[i])  # stable on ties
    top_p = float(probabilities[order[0]])
    if rules is None and top_p < ASK_FROM:
        return None
    top = LEVELS[order[0]]
    if rules is not None and rules.conflict:
        # "ja en nee eigenlijk": the sentence pulls two ways, so ask whatever the odds.
        second = rules.level if rules.level != top else LEVELS[order[1]]
        return Reading(top, False, (top, second))
    if rules is not None and rules.strength >= SHORT_FIRM and not rules.conflict \
            and len(normalize(text).split()) <= SHORT:
        return Reading(rules.level, True)  # "nog niet helemaal", "bijna alles": the phrase is it
    if rules is not None and rules.strength >= 2 and _apart(top, rules.level) >= 2:
        return Reading(top, False, (top, rules.level))  # the cue words and the model disagree
    if top is None and rules is not None and rules.level is not None and rules.level >= 1:
        # Only the model says "weet ik niet" while the words lean to a yes ("ik weet globaal
        # wat …, maar …"): two levels apart, so ask.
        return Reading(top, False, (top, rules.level))
    backed = rules is not None and rules.level == top and rules.strength >= SHORT_FIRM
    margin = BACKED_MARGIN if backed else MARGIN
    if top_p >= SURE and top_p - float(probabilities[order[1]]) >= margin:
        return Reading(top, True)  # a close runner-up is a reason to ask, unless a cue agrees
    options = [top, LEVELS[order[1]]]
    if top_p + float(probabilities[order[1]]) < TWO_OPTIONS_COVER:
        options.append(LEVELS[order[2]])
    return Reading(top, False, tuple(options))


def read_answer(question_id: str | None, text: str, *, variant: str = "",
                allow_model_only: bool = True) -> Reading | None:
    """How a typed answer to scored question `question_id` reads, or None if it does not.

    variant: which wording was asked (questions.yml, Wording.variant): after "Weet je hoe je
    een kandidaat gaat toetsen?" (variant "none") "nog niet uitgezocht" is a low level.
    allow_model_only=False: without a cue word the text is not read at all (the NLU heard
    no answer in it, e.g. "wat is de hoofdstad van Frankrijk").
    """
    if not normalize(text):
        return None
    rules = read_rules(text)
    if rules is None and not allow_model_only:
        return None
    if rules is not None and rules.level is None:
        return Reading(None, True)
    asked = asked_key(question_id, variant) if question_id else None
    return decide(rules, trained_reader().probabilities(asked, text, rules), text)
