"""The scan conversation as a pure state machine.

The Rasa actions keep a ScanState in a slot, call one of these functions with what the
user typed and show the returned messages. No Rasa imports here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from typing import Any

from mkbscan.messages import BotMessage, Progress, intent_buttons, text_buttons
from mkbscan.reading.corrections import PREVIOUS, Correction
from mkbscan.reading.reader import Reading, read_answer
from mkbscan.scan.answers import context_in_passing, normalize, parse_context, parse_scale
from mkbscan.scan.questions import ScanContent, load_content
from mkbscan.scan.result_text import first_step, plan_of, result_messages, unknown_topics
from mkbscan.scan.scoring import ScanResult, compute_result
from mkbscan.scan.snapshot import Answer, ScanSnapshot, Scores, ThemeScore
from mkbscan.settings import settings
from mkbscan.wording import join_words, say

NOT_STARTED, IN_PROGRESS, PAUSED, FINISHED = "not_started", "in_progress", "paused", "finished"
AWAIT_QUESTION = "scan_question"
AWAIT_RESTART = "restart_confirm"
AWAIT_FOLLOWUP = "followup_offer"
MISSES_BEFORE_SKIP = 2
REPORT_TOKEN_BYTES = 32  # 256 random bits in the report's link


@dataclass
class ScanState:
    status: str = NOT_STARTED
    context: dict[str, str] = field(default_factory=dict)
    context_labels: dict[str, str] = field(default_factory=dict)
    answers: dict[str, int | None] = field(default_factory=dict)
    current: str | None = None
    misses: int = 0
    # Levels offered when a typed answer could be read two ways (None is "Weet ik niet").
    checking: list[int | None] = field(default_factory=list)
    # Context told before the scan started ("ik heb een IT-bureau met 12 mensen"):
    # question id -> [value, label], filled in (and said) when the scan starts.
    told: dict[str, list[str]] = field(default_factory=dict)
    # The secret of the personal report's link (made at the result; the store keeps a hash).
    report_token: str = ""
    # When the entrepreneur agreed to get the report's link by e-mail (until it is queued).
    report_mail_consent_at: str = ""
    # The code of the partner's invitation this conversation made (issue 17), to say it
    # again; the store keeps only its hash.
    invite_code: str = ""
    # This scan is a partner's, opened with a code: its answers go to the invitation.
    partner_scan: bool = False
    # Questions beforehand known when the scan started (told, or given by the invitation):
    # not asked, so not counted in "Vooraf 1 van 2".
    known_at_start: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "context": dict(self.context),
            "context_labels": dict(self.context_labels),
            "answers": dict(self.answers),
            "current": self.current,
            "misses": self.misses,
            "checking": list(self.checking),
            "told": {k: list(v) for k, v in self.told.items()},
            "report_token": self.report_token,
            "report_mail_consent_at": self.report_mail_consent_at,
            "invite_code": self.invite_code,
            "partner_scan": self.partner_scan,
            "known_at_start": list(self.known_at_start),
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
            checking=list(raw.get("checking") or []),
            told={k: list(v) for k, v in (raw.get("told") or {}).items()},
            report_token=str(raw.get("report_token") or ""),
            report_mail_consent_at=str(raw.get("report_mail_consent_at") or ""),
            invite_code=str(raw.get("invite_code") or ""),
            partner_scan=bool(raw.get("partner_scan")),
            known_at_start=[str(q) for q in raw.get("known_at_start") or []],
        )

    def answered(self, question_id: str) -> bool:
        return question_id in self.context or question_id in self.answers


@dataclass
class Turn:
    messages: list[BotMessage]
    state: ScanState
    awaiting: str | None
    result: ScanResult | None = None
    corrected: str | None = None  # the question whose answer a correction changed


def _first_unanswered(state: ScanState, content: ScanContent) -> str | None:
    return next((qid for qid in content.order if not state.answered(qid)), None)


def question_messages(state: ScanState, content: ScanContent, *, with_intro: bool = False,
                      extra_buttons: tuple[str, ...] = ()) -> list[BotMessage]:
    qid = state.current
    assert qid is not None
    progress = Progress(content.order.index(qid) + 1, len(content.order))
    if content.is_context(qid):
        question = content.context_by_id(qid)
        skipped = () if qid in state.known_at_start else state.known_at_start
        asked = [c.id for c in content.context if c.id not in skipped]
        buttons = text_buttons(*question.buttons, *extra_buttons)
        heading = say("context_heading", number=asked.index(qid) + 1, context_count=len(asked))
        return [BotMessage(f"{heading}\n{question.text}", buttons, progress=progress)]
    scored_ids = [q.id for q in content.scored]
    number = scored_ids.index(qid) + 1
    scored = content.scored_by_id(qid)
    messages = []
    theme = content.theme_of(qid)
    if with_intro and theme.questions[0].id == qid:
        messages.append(BotMessage(theme.intro))
    buttons = text_buttons(*(option.button for option in content.scale), *extra_buttons)
    heading = say("question_heading", number=number)
    text = scored.worded(content.profile(state.context)).text
    messages.append(BotMessage(f"{heading}\n{text}", buttons, progress=progress))
    return messages


def _ask_next(state: ScanState, content: ScanContent, lead_in: list[BotMessage]) -> Turn:
    state.current = _first_unanswered(state, content)
    state.misses = 0
    state.checking = []
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
    state.report_token = state.report_token or new_report_token()
    result = result_of(state, content)
    # What was noted of the last answer opens the result.
    intro = " ".join([m.text for m in lead_in] + [say("result_intro")])
    messages = _result_messages(state, result, content, intro=intro) + [followup_offer()]
    done = len(content.order)
    messages[0] = replace(messages[0], progress=Progress(done, done, question=False))
    return Turn(messages, state, AWAIT_FOLLOWUP, result)


def report_data(state: ScanState) -> dict[str, Any]:
    """What the personal report keeps: levels and button labels, never typed text."""
    return {"context": dict(state.context), "context_labels": dict(state.context_labels),
            "answers": dict(state.answers), "status": state.status}


def new_report_token() -> str:
    return secrets.token_urlsafe(REPORT_TOKEN_BYTES)


def _result_messages(state: ScanState, result: ScanResult, content: ScanContent,
                     **intro: str) -> list[BotMessage]:
    url = settings().report_url(state.report_token) if state.report_token else ""
    return result_messages(result, state.answers, state.context, content, report_url=url,
                           **intro)


def followup_offer() -> BotMessage:
    return BotMessage(say("followup_offer"), intent_buttons((say("followup_yes"), "affirm"),
                                                           (say("followup_no"), "deny")))


def start(state: ScanState, content: ScanContent | None = None) -> Turn:
    """Start the scan, or resume it at the first unanswered question."""
    content = content or load_content()
    if state.status in (IN_PROGRESS, PAUSED) and (state.context or state.answers):
        return _ask_next(state, content, [BotMessage(say("scan_welcome_back"))])
    if state.status == FINISHED:
        result = result_of(state, content)
        return Turn(
            [BotMessage(say("scan_already_done", total=result.total, band=result.band),
                        intent_buttons((say("scan_again_button"), "restart_scan"),
                                       (say("scan_advisor_button"), "request_advisor")))],
            state, None,
        )
    told = state.told
    # A partner's scan starts with the kind of partnership its invitation gave.
    state = ScanState(status=IN_PROGRESS, partner_scan=state.partner_scan,
                      context=dict(state.context) if state.partner_scan else {},
                      context_labels=dict(state.context_labels) if state.partner_scan else {})
    for qid, (value, label) in told.items():
        state.context[qid], state.context_labels[qid] = value, label
    # Told in passing or given by the invitation: not asked, so not counted either.
    state.known_at_start = [question.id for question in content.context
                            if question.id in state.context]
    left = len(content.context) - len(state.known_at_start)
    key = "scan_start_no_context" if left == 0 else "scan_start_one" if left == 1 \
        else "scan_start"
    intro = [BotMessage(say(key, context_count=left,
                            duration=duration(left + len(content.scored)))),
             BotMessage(say("scan_start_how"))]
    if told:
        labels = join_words([label for _, label in told.values()])
        intro.append(BotMessage(say("scan_told", labels=labels)))
    return _ask_next(state, content, intro)


def note_told(state: ScanState, text: str) -> ScanState:
    """Keep context told before the scan starts, to fill in (and say) when it starts."""
    if state.status == NOT_STARTED:
        for qid, answer in context_in_passing(text).items():
            state.told[qid] = [answer.value, answer.label]
    return state


def answer(state: ScanState, text: str, content: ScanContent | None = None, *,
           allow_free_text: bool = True) -> Turn:
    """Handle what the user typed while a question is open.

    allow_free_text=False (the NLU saw no answer) stops unrecognised text being kept as
    "iets anders" for C1, and a scale answer being read by the learned model alone.
    """
    content = content or load_content()
    qid = state.current
    if state.status != IN_PROGRESS or qid is None:
        return start(state, content)
    if content.is_context(qid):
        skip = say("skip_button")
        if state.misses >= MISSES_BEFORE_SKIP and parse_scale(text) == parse_scale(skip):
            state.context[qid] = state.context_labels[qid] = say("unknown_context")
            return _ask_next(state, content, [BotMessage(say("skipped"))])
        parsed = parse_context(qid, text, content, allow_free_text=allow_free_text)
        if parsed is not None:
            state.context[qid] = parsed.value
            state.context_labels[qid] = parsed.label
            clicked = _is_button(text, content.context_by_id(qid).buttons)
            return _ask_next(state, content, [] if clicked else [noted(parsed.label)])
        return _missed(state, content)
    if _is_button(text, tuple(option.button for option in content.scale)):
        state.answers[qid] = parse_scale(text).level  # type: ignore[union-attr]
        return _ask_next(state, content, [])
    variant = content.scored_by_id(qid).worded(content.profile(state.context)).variant
    reading = read_answer(qid, text, variant=variant, allow_model_only=allow_free_text)
    if reading is not None and not reading.sure and state.checking \
            and reading.level in state.checking:
        reading = Reading(reading.level, True)  # asked once already: take the likeliest
    if reading is None or (not reading.sure and state.checking):
        return _missed(state, content)
    if not reading.sure:
        return _check(state, content, reading)
    state.answers[qid] = reading.level
    return _ask_next(state, content, [noted(content.scale_button(reading.level))])


def noted(label: str) -> BotMessage:
    """What the bot noted of a typed answer, so a misreading never goes unseen."""
    return BotMessage(say("noted", label=f"{label[:1].lower()}{label[1:]}"))


def _is_button(text: str, buttons: tuple[str, ...]) -> bool:
    return normalize(text) in {normalize(button) for button in buttons}


def _check(state: ScanState, content: ScanContent, reading: Reading) -> Turn:
    """Ask back once with the likely levels instead of guessing."""
    state.checking = list(reading.options)
    buttons = text_buttons(*(content.scale_button(level) for level in reading.options))
    return Turn([BotMessage(say("check_back"), buttons)], state, AWAIT_QUESTION)


def reads_as_answer(state: ScanState, text: str, content: ScanContent | None = None) -> bool:
    """Whether `text` is a clear answer to the open question (no free-text fallback)."""
    content = content or load_content()
    qid = state.current
    if state.status != IN_PROGRESS or qid is None:
        return False
    if content.is_context(qid):
        return parse_context(qid, text, content, allow_free_text=False) is not None
    return parse_scale(text) is not None


def _missed(state: ScanState, content: ScanContent) -> Turn:
    state.misses += 1
    state.checking = []
    extra = (say("skip_button"),) if state.current and content.is_context(state.current) else ()
    if state.misses > MISSES_BEFORE_SKIP:  # explained once already: no third explanation
        messages = [BotMessage(say("missed_again"))]
        return Turn(messages + question_messages(state, content, extra_buttons=extra),
                    state, AWAIT_QUESTION)
    if state.misses == MISSES_BEFORE_SKIP:
        messages = [
            BotMessage(say("missed_explain", explanation=explanation_of(
                state.current, content, state.context, again=True))),
            BotMessage(say("missed_explain_buttons")),
        ]
        return Turn(messages + question_messages(state, content, extra_buttons=extra),
                    state, AWAIT_QUESTION)
    messages = [BotMessage(say("missed_once"))]
    return Turn(messages + question_messages(state, content), state, AWAIT_QUESTION)


def explanation_of(question_id: str | None, content: ScanContent,
                   context: dict[str, str] | None = None, *, again: bool = False) -> str:
    """Why the question is asked, in the user's wording; `again`: the second, simpler one."""
    if question_id is None:
        return ""
    if content.is_context(question_id):
        return content.context_by_id(question_id).explanation
    wording = content.scored_by_id(question_id).worded(content.profile(context or {}))
    return wording.explanation_again if again else wording.explanation


def explain(state: ScanState, content: ScanContent | None = None) -> Turn | None:
    """Why the open question is asked, then the same question again."""
    content = content or load_content()
    if state.status != IN_PROGRESS or state.current is None:
        return None
    messages = [BotMessage(explanation_of(state.current, content, state.context))]
    return Turn(messages + question_messages(state, content), state, AWAIT_QUESTION)


def reprompt(state: ScanState, content: ScanContent | None = None) -> Turn | None:
    """Back to the open question after a side step, or None if no question is open."""
    content = content or load_content()
    if state.status != IN_PROGRESS or state.current is None:
        return None
    messages = [BotMessage(say("back_to_scan"))]
    return Turn(messages + question_messages(state, content), state, AWAIT_QUESTION)


def repeat_question(state: ScanState, content: ScanContent | None = None) -> Turn | None:
    """The open question once more, nothing else changed (after refused input)."""
    content = content or load_content()
    if state.status != IN_PROGRESS or state.current is None:
        return None
    return Turn(question_messages(state, content), state, AWAIT_QUESTION)


def pause(state: ScanState) -> Turn:
    if state.status != IN_PROGRESS:
        return Turn([BotMessage(say("pause_nothing"))], state, None)
    state.status = PAUSED
    return Turn(
        [BotMessage(say("pause_done"))],
        state, None,
    )


def back(state: ScanState, content: ScanContent | None = None) -> Turn:
    """Reopen the question before the open one (or the last one after the result)."""
    content = content or load_content()
    order = content.order
    if state.status == NOT_STARTED:
        return Turn([BotMessage(say("back_not_started"))], state, None)
    position = order.index(state.current) if state.current in order else len(order)
    if state.status == PAUSED and state.current in order:
        position = order.index(state.current)
    if position == 0:
        state.status = IN_PROGRESS
        messages = [BotMessage(say("back_first"))]
        return Turn(messages + question_messages(state, content), state, AWAIT_QUESTION)
    previous = order[position - 1]
    state.current = previous
    state.status = IN_PROGRESS
    state.misses = 0
    given = _given_answer(state, previous, content)
    lead_in = say("back_with_answer", given=given) if given else say("back_plain")
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
        [BotMessage(say("restart_sure"), intent_buttons((say("restart_yes"), "affirm"),
                                                        (say("restart_no"), "deny")))],
        state, AWAIT_RESTART,
    )


def restart(content: ScanContent | None = None) -> Turn:
    content = content or load_content()
    state = ScanState(status=IN_PROGRESS)
    return _ask_next(state, content, [BotMessage(say("restart_done"))])


def progress_label(state: ScanState, content: ScanContent | None = None) -> str:
    """Which part of the scan was done, for a lead handed over before the end."""
    content = content or load_content()
    if state.status == FINISHED:
        return say("part_full")
    scored = len([q for q in content.scored if q.id in state.answers])
    if state.status == NOT_STARTED and not state.context:
        return say("part_none")
    return say("part_some", context_done=len(state.context), scored_done=scored)


def snapshot(state: ScanState, content: ScanContent | None = None) -> ScanSnapshot:
    """What the advisor gets to see of the scan (the `scan` of a lead)."""
    content = content or load_content()
    profile = content.profile(state.context)
    context = tuple(Answer(c.id, c.text, state.context_labels[c.id]) for c in content.context
                    if c.id in state.context_labels)
    answers = tuple(Answer(q.id, q.worded(profile).text,
                           content.scale_button(state.answers[q.id]))
                    for q in content.scored if q.id in state.answers)
    part_done = progress_label(state, content)
    if state.status != FINISHED:
        return ScanSnapshot(part_done=part_done, context=context, answers=answers)
    result = result_of(state, content)
    names = {theme.id: theme.name for theme in content.themes}
    scores = Scores(themes=tuple(ThemeScore(theme_id, names[theme_id], score)
                                 for theme_id, score in result.theme_scores),
                    total=result.total, band=result.band, capped=result.capped)
    plan = plan_of(result, state.answers, state.context, content)
    return ScanSnapshot(part_done=part_done, context=context, answers=answers, scores=scores,
                        advice=tuple(step.action for step in plan.steps),
                        strengths=plan.strengths,
                        unknowns=tuple(unknown_topics(result, state.context, content)))


# --- Questions about the scan itself ----------------------------------------------------

SECONDS_PER_QUESTION = 20


def _remaining(state: ScanState, content: ScanContent) -> tuple[int, int]:
    """(context questions left, scored questions left)."""
    context = sum(1 for c in content.context if c.id not in state.context)
    scored = sum(1 for q in content.scored if q.id not in state.answers)
    return context, scored


def duration(questions: int) -> str:
    """About how long `questions` questions take, in words."""
    minutes = max(1, round(questions * SECONDS_PER_QUESTION / 60))
    return say("duration_minute") if minutes == 1 else say("duration_minutes", minutes=minutes)


def progress(state: ScanState, content: ScanContent | None = None) -> list[BotMessage]:
    """How far the user is: where they are, how many are left, roughly how long."""
    content = content or load_content()
    context_left, scored_left = _remaining(state, content)
    total = len(content.scored)
    if state.status == FINISHED:
        return [BotMessage(say("progress_done"))]
    if state.status == NOT_STARTED:
        return [BotMessage(say("progress_not_started",
                               duration=duration(len(content.context) + total)))]
    if context_left:
        done = len(content.context) - context_left
        return [BotMessage(say("progress_context", done=done,
                               duration=duration(context_left + total)))]
    key = "progress_left_one" if scored_left == 1 else "progress_left"
    return [BotMessage(say(key, done=total - scored_left, left=scored_left,
                           duration=duration(scored_left)))]


def show_result(state: ScanState, content: ScanContent | None = None) -> list[BotMessage]:
    """The result once more, or where the user stands if it is not there yet."""
    content = content or load_content()
    if state.status != FINISHED:
        if state.status == NOT_STARTED:
            return [BotMessage(say("result_none_yet"))]
        return [BotMessage(say("result_after_last", left=sum(_remaining(state, content))))]
    return _result_messages(state, result_of(state, content), content,
                            intro_key="result_again")


def what_now(state: ScanState, content: ScanContent | None = None) -> list[BotMessage]:
    """The next step: after the result the first piece of advice, else finishing the scan."""
    content = content or load_content()
    if state.status == NOT_STARTED:
        return [BotMessage(say("what_now_start"))]
    if state.status != FINISHED:
        return [BotMessage(say("what_now_finish"))]
    result = result_of(state, content)
    step = first_step(result, state.answers, state.context, content)
    if step is None:
        return [BotMessage(say("what_now_together"))]
    return [BotMessage(say("what_now_first", advice=step)), BotMessage(say("what_now_help"))]


def self_work(state: ScanState, content: ScanContent | None = None) -> list[BotMessage]:
    """The user will first work on it alone: encourage, with the first step if there is one."""
    content = content or load_content()
    if state.status != FINISHED:
        return [BotMessage(say("self_work_later"))]
    step = first_step(result_of(state, content), state.answers, state.context, content)
    plan = say("self_work_plan_first", advice=f"{step[:1].lower()}{step[1:]}") \
        if step else say("self_work_plan")
    return [BotMessage(plan), BotMessage(say("self_work_stays"))]


# --- Corrections ------------------------------------------------------------------------


def _previous_question(state: ScanState, content: ScanContent) -> str | None:
    """The question answered just before the open one (the last one after the result)."""
    order = content.order
    position = order.index(state.current) if state.current in order else len(order)
    answered = [qid for qid in order[:position] if state.answered(qid)]
    return answered[-1] if answered else None


def correct(state: ScanState, correction: Correction, content: ScanContent | None = None) -> Turn:
    """Change an earlier answer (or ask its question again when no new level was said)."""
    content = content or load_content()
    qid = correction.question
    if qid == PREVIOUS:
        qid = _previous_question(state, content)
        if qid is None:
            return back(state, content)
    if content.is_context(qid):
        return back(state, content) if qid == _previous_question(state, content) else \
            _reopen(state, qid, content)
    number = [q.id for q in content.scored].index(qid) + 1
    if qid not in state.answers:
        if qid == state.current and correction.has_level:
            state.answers[qid] = correction.level
            return _ask_next(state, content, [noted(content.scale_button(correction.level))])
        messages = [BotMessage(say("correct_not_yet", number=number))]
        turn = reprompt(state, content)
        return Turn(messages + (turn.messages if turn else []), state,
                    turn.awaiting if turn else None)
    if not correction.has_level:
        return _reopen(state, qid, content)
    old = state.answers[qid]
    state.answers[qid] = correction.level
    topic = content.scored_by_id(qid).worded(content.profile(state.context)).topic
    new_label, old_label = content.scale_button(correction.level), content.scale_button(old)
    note = BotMessage(say("correct_changed", number=number, topic=topic, new=new_label,
                          old=old_label) if old != correction.level else
                      say("correct_same", number=number, topic=topic, new=new_label))
    if state.status == FINISHED:
        result = result_of(state, content)
        messages = [note] + _result_messages(state, result, content,
                                             intro_key="correct_new_result")
        return Turn(messages, state, None, result,
                    corrected=qid if old != correction.level else None)
    turn = reprompt(state, content)
    messages = [note] + (turn.messages[1:] if turn else [])
    return Turn(messages, state, turn.awaiting if turn else None,
                corrected=qid if old != correction.level else None)


def _reopen(state: ScanState, qid: str, content: ScanContent) -> Turn:
    """Ask an answered question again; afterwards the scan goes on where it was."""
    state.current = qid
    state.status = IN_PROGRESS
    state.misses = 0
    state.checking = []
    given = _given_answer(state, qid, content)
    lead_in = say("reopen_with_answer", given=given) if given else say("reopen_plain")
    return Turn([BotMessage(lead_in)] + question_messages(state, content), state, AWAIT_QUESTION)
