"""The scan conversation as a pure state machine.

The Rasa actions keep a ScanState in a slot, call one of these functions with what the
user typed and show the returned messages. No Rasa imports here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mkbscan.answers import parse_context, parse_scale
from mkbscan.messages import BotMessage, intent_buttons, text_buttons
from mkbscan.questions import ScanContent, load_content
from mkbscan.result_text import advice_texts, result_messages, unknown_topics
from mkbscan.scoring import ScanResult, compute_result

NOT_STARTED, IN_PROGRESS, PAUSED, FINISHED = "not_started", "in_progress", "paused", "finished"
AWAIT_QUESTION = "scan_question"
AWAIT_RESTART = "restart_confirm"
AWAIT_FOLLOWUP = "followup_offer"
MISSES_BEFORE_SKIP = 2
SKIP_BUTTON = "Overslaan"
UNKNOWN_CONTEXT = "onbekend"


@dataclass
class ScanState:
    status: str = NOT_STARTED
    context: dict[str, str] = field(default_factory=dict)
    context_labels: dict[str, str] = field(default_factory=dict)
    answers: dict[str, int | None] = field(default_factory=dict)
    current: str | None = None
    misses: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "context": dict(self.context),
            "context_labels": dict(self.context_labels),
            "answers": dict(self.answers),
            "current": self.current,
            "misses": self.misses,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> ScanState:
        if not raw:
            return cls()
        return cls(
            status=raw.get("status", NOT_STARTED),
            context=dict(raw.get("context") or {}),
            context_labels=dict(raw.get("context_labels") or {}),
            answers=dict(raw.get("answers") or {}),
            current=raw.get("current"),
            misses=int(raw.get("misses") or 0),
        )

    def answered(self, question_id: str) -> bool:
        return question_id in self.context or question_id in self.answers


@dataclass
class Turn:
    messages: list[BotMessage]
    state: ScanState
    awaiting: str | None
    result: ScanResult | None = None


def _first_unanswered(state: ScanState, content: ScanContent) -> str | None:
    return next((qid for qid in content.order if not state.answered(qid)), None)


def question_messages(state: ScanState, content: ScanContent, *, with_intro: bool = False,
                      extra_buttons: tuple[str, ...] = ()) -> list[BotMessage]:
    qid = state.current
    assert qid is not None
    if qid.startswith("C"):
        question = content.context_by_id(qid)
        number = [c.id for c in content.context].index(qid) + 1
        buttons = text_buttons(*question.buttons, *extra_buttons)
        return [BotMessage(f"Vooraf {number} van {len(content.context)}\n{question.text}", buttons)]
    scored_ids = [q.id for q in content.scored]
    number = scored_ids.index(qid) + 1
    scored = content.scored_by_id(qid)
    messages = []
    theme = content.theme_of(qid)
    if with_intro and theme.questions[0].id == qid:
        messages.append(BotMessage(theme.intro))
    buttons = text_buttons(*(option.button for option in content.scale), *extra_buttons)
    messages.append(BotMessage(f"Vraag {number} van {len(scored_ids)}\n{scored.text}", buttons))
    return messages


def _ask_next(state: ScanState, content: ScanContent, lead_in: list[BotMessage]) -> Turn:
    state.current = _first_unanswered(state, content)
    state.misses = 0
    if state.current is None:
        return _finish(state, content, lead_in)
    state.status = IN_PROGRESS
    messages = lead_in + question_messages(state, content, with_intro=True)
    return Turn(messages, state, AWAIT_QUESTION)


def result_of(state: ScanState, content: ScanContent | None = None) -> ScanResult:
    content = content or load_content()
    return compute_result(state.answers, content)


def _finish(state: ScanState, content: ScanContent, lead_in: list[BotMessage]) -> Turn:
    state.status = FINISHED
    state.current = None
    result = result_of(state, content)
    messages = lead_in + result_messages(result, state.context, content) + [followup_offer()]
    return Turn(messages, state, AWAIT_FOLLOWUP, result)


def followup_offer() -> BotMessage:
    return BotMessage(
        "Wil je hier eens over doorpraten met Marco Rog van Circular Clarity? "
        "Een vervolggesprek is gratis en vrijblijvend.",
        intent_buttons(("Ja, graag", "affirm"), ("Nee, dank je", "deny")),
    )


def start(state: ScanState, content: ScanContent | None = None) -> Turn:
    """Start the scan, or resume it at the first unanswered question."""
    content = content or load_content()
    if state.status in (IN_PROGRESS, PAUSED) and (state.context or state.answers):
        return _ask_next(state, content, [BotMessage("Welkom terug! We gaan verder waar je was.")])
    if state.status == FINISHED:
        result = result_of(state, content)
        return Turn(
            [BotMessage(
                f"Je hebt de scan al afgerond, met een totaalscore van {result.total}/100 "
                f"({result.band}). Wil je hem opnieuw doen?",
                intent_buttons(("Opnieuw beginnen", "restart_scan"),
                               ("Ik wil met Marco praten", "request_advisor")),
            )],
            state, None,
        )
    state = ScanState(status=IN_PROGRESS)
    intro = [
        BotMessage(
            "Mooi, we gaan beginnen! Eerst 3 korte vragen over je situatie, daarna 13 vragen "
            "over partnerkeuze en gelijkwaardigheid. Samen duurt dat zo'n vijf minuten."
        ),
        BotMessage(
            "Je kunt altijd vragen waarom ik iets vraag, pauzeren of terug naar de vorige "
            "vraag. Persoonlijke gegevens heb ik voor de scan niet nodig."
        ),
    ]
    return _ask_next(state, content, intro)


def answer(state: ScanState, text: str, content: ScanContent | None = None, *,
           allow_free_text: bool = True) -> Turn:
    """Handle what the user typed while a question is open.

    allow_free_text=False (the NLU saw no answer) stops unrecognised text being kept as
    "iets anders" for C1.
    """
    content = content or load_content()
    qid = state.current
    if state.status != IN_PROGRESS or qid is None:
        return start(state, content)
    if qid.startswith("C"):
        if state.misses >= MISSES_BEFORE_SKIP and parse_scale(text) == parse_scale(SKIP_BUTTON):
            state.context[qid] = UNKNOWN_CONTEXT
            state.context_labels[qid] = UNKNOWN_CONTEXT
            return _ask_next(state, content, [BotMessage("Prima, die slaan we over.")])
        parsed = parse_context(qid, text, allow_free_text=allow_free_text)
        if parsed is not None:
            state.context[qid] = parsed.value
            state.context_labels[qid] = parsed.label
            return _ask_next(state, content, [])
    else:
        scale = parse_scale(text)
        if scale is not None:
            state.answers[qid] = scale.level
            return _ask_next(state, content, [])
    return _missed(state, content)


def reads_as_answer(state: ScanState, text: str) -> bool:
    """Whether `text` is a clear answer to the open question (no free-text fallback)."""
    qid = state.current
    if state.status != IN_PROGRESS or qid is None:
        return False
    if qid.startswith("C"):
        return parse_context(qid, text, allow_free_text=False) is not None
    return parse_scale(text) is not None


def _missed(state: ScanState, content: ScanContent) -> Turn:
    state.misses += 1
    if state.misses >= MISSES_BEFORE_SKIP:
        messages = [
            BotMessage(f"Ik leg het even anders uit. {explanation_of(state.current, content)}"),
            BotMessage("Kies een van de knoppen, of sla de vraag over. Dan tel ik hem als "
                       "'Weet ik niet'."),
        ]
        extra = (SKIP_BUTTON,) if state.current and state.current.startswith("C") else ()
        return Turn(messages + question_messages(state, content, extra_buttons=extra),
                    state, AWAIT_QUESTION)
    messages = [BotMessage("Dat kon ik niet goed plaatsen als antwoord. Kies je een van deze?")]
    return Turn(messages + question_messages(state, content), state, AWAIT_QUESTION)


def explanation_of(question_id: str | None, content: ScanContent) -> str:
    if question_id is None:
        return ""
    if question_id.startswith("C"):
        return content.context_by_id(question_id).explanation
    return content.scored_by_id(question_id).explanation


def explain(state: ScanState, content: ScanContent | None = None) -> Turn | None:
    """Why the open question is asked, then the same question again."""
    content = content or load_content()
    if state.status != IN_PROGRESS or state.current is None:
        return None
    messages = [BotMessage(explanation_of(state.current, content))]
    return Turn(messages + question_messages(state, content), state, AWAIT_QUESTION)


def reprompt(state: ScanState, content: ScanContent | None = None) -> Turn | None:
    """Back to the open question after a side step, or None if no question is open."""
    content = content or load_content()
    if state.status != IN_PROGRESS or state.current is None:
        return None
    messages = [BotMessage("Dan gaan we verder met de scan.")]
    return Turn(messages + question_messages(state, content), state, AWAIT_QUESTION)


def repeat_question(state: ScanState, content: ScanContent | None = None) -> Turn | None:
    """The open question once more, nothing else changed (after refused input)."""
    content = content or load_content()
    if state.status != IN_PROGRESS or state.current is None:
        return None
    return Turn(question_messages(state, content), state, AWAIT_QUESTION)


def pause(state: ScanState) -> Turn:
    if state.status != IN_PROGRESS:
        return Turn([BotMessage("Er loopt nu geen scan. Zeg 'start de scan' als je wilt "
                                "beginnen.")], state, None)
    state.status = PAUSED
    return Turn(
        [BotMessage("Prima, ik bewaar je antwoorden. Zeg 'verder met de scan' als je terug "
                    "bent, ook als je deze pagina later opnieuw opent.")],
        state, None,
    )


def back(state: ScanState, content: ScanContent | None = None) -> Turn:
    """Reopen the question before the open one (or the last one after the result)."""
    content = content or load_content()
    order = content.order
    if state.status == NOT_STARTED:
        return Turn([BotMessage("We zijn nog niet begonnen. Zeg 'start de scan' om te "
                                "beginnen.")], state, None)
    position = order.index(state.current) if state.current in order else len(order)
    if state.status == PAUSED and state.current in order:
        position = order.index(state.current)
    if position == 0:
        state.status = IN_PROGRESS
        messages = [BotMessage("Dit is de eerste vraag, verder terug kan niet.")]
        return Turn(messages + question_messages(state, content), state, AWAIT_QUESTION)
    previous = order[position - 1]
    state.current = previous
    state.status = IN_PROGRESS
    state.misses = 0
    given = _given_answer(state, previous, content)
    lead_in = f"Geen probleem. Je antwoordde eerder: '{given}'. Wat wordt het?" if given else \
        "Geen probleem, hier is de vorige vraag nog een keer."
    return Turn([BotMessage(lead_in)] + question_messages(state, content), state, AWAIT_QUESTION)


def _given_answer(state: ScanState, question_id: str, content: ScanContent) -> str | None:
    if question_id in state.context_labels:
        return state.context_labels[question_id]
    if question_id in state.answers:
        return content.scale_button(state.answers[question_id])
    return None


def ask_restart(state: ScanState) -> Turn:
    if state.status == NOT_STARTED or not (state.context or state.answers):
        return start(ScanState())
    return Turn(
        [BotMessage("Weet je zeker dat je opnieuw wilt beginnen? Je antwoorden tot nu toe "
                    "vervallen dan.",
                    intent_buttons(("Ja, opnieuw beginnen", "affirm"),
                                   ("Nee, ga verder", "deny")))],
        state, AWAIT_RESTART,
    )


def restart(content: ScanContent | None = None) -> Turn:
    content = content or load_content()
    state = ScanState(status=IN_PROGRESS)
    return _ask_next(state, content, [BotMessage("Oké, we beginnen opnieuw.")])


def progress_label(state: ScanState, content: ScanContent | None = None) -> str:
    """Which part of the scan was done, for a lead handed over before the end."""
    content = content or load_content()
    if state.status == FINISHED:
        return "volledig"
    scored = len([q for q in content.scored if q.id in state.answers])
    if state.status == NOT_STARTED and not state.context:
        return "niet gestart"
    return f"deels: {len(state.context)} van 3 contextvragen, {scored} van 13 vragen"


def snapshot(state: ScanState, content: ScanContent | None = None) -> dict[str, Any]:
    """What the advisor gets to see of the scan (the `scan` field of a lead)."""
    content = content or load_content()
    answers = [
        {"id": q.id, "question": q.text, "answer": content.scale_button(state.answers[q.id])}
        for q in content.scored if q.id in state.answers
    ]
    data: dict[str, Any] = {
        "part_done": progress_label(state, content),
        "context": {c.id: state.context_labels.get(c.id, "") for c in content.context
                    if c.id in state.context_labels},
        "answers": answers,
        "scores": None,
        "advice": [],
        "unknowns": [],
    }
    if state.status == FINISHED:
        result = result_of(state, content)
        data["scores"] = {
            "partnerkeuze": result.partnerkeuze, "gelijkwaardigheid": result.gelijkwaardigheid,
            "totaal": result.total, "band": result.band, "capped": result.capped,
        }
        data["advice"] = advice_texts(result, state.context, content)
        data["unknowns"] = unknown_topics(result, content)
    return data
