"""What a chat channel lets through to the bot: pure checks, shared by REST and socketio.

`check_message` cleans one incoming text and says whether the bot may read it as is:

- control characters (except newline and tab), lone surrogates and bidirectional
  overrides are removed;
- empty or whitespace-only: the user is told so, and the bot asks its open question again;
- longer than MAX_CHARACTERS: cut to MAX_CHARACTERS + "…" (so a pasted megabyte is never
  stored whole), the user is told, and the bot asks its open question again;
- a message starting with "/" is, for Rasa, an intent with optional entities
  (`/affirm{"email": "x@y.nl"}`), which skips the NLU and any check on free text. Only the
  exact payloads of our own buttons pass (BUTTON_PAYLOADS). Anything else shaped like such
  a command loses its slash and is refused ("command"): the bot asks its open question
  again and nothing of it is used. Other text that merely starts with a slash
  ("/ ja graag") loses the slash and is read as typed text.

A refused message still reaches the dialogue, with `metadata["input_guard"]` set to the
reason: the NLU component mkbscan.rasa.nlu_guard.MessageGuard then makes it `nlu_fallback` and
the actions repeat the open question without counting it as an answer, so the state of
the scan or the hand-over is exactly as before.

`RateLimiter` refuses a flood from one sender id (CHAT_RATE_LIMIT, default 20 messages
in 10 s) before the bot runs. It lives in the memory of one Rasa process: with several
Rasa servers each counts its own share.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

from mkbscan.settings import MAX_CHARACTERS
from mkbscan.wording import say

ELLIPSIS = "…"
METADATA_KEY = "input_guard"
EMPTY, TOO_LONG, COMMAND = "empty", "too_long", "command"

# The payloads our buttons send (mkbscan.messages.intent_buttons) and the widget's
# initPayload (web/app.js). tests/unit/test_input_guard.py checks this against the code.
BUTTON_PAYLOADS = frozenset({
    "/affirm", "/deny", "/start_scan", "/resume_scan", "/restart_scan", "/capabilities",
    "/request_advisor", "/correct_field", "/greet",
    "/previous_question", "/explain_question",  # the widget's "Vorige" and "Waarom?"
    "/email_report",  # the result card's "Mail mij de link"
    "/invite_partner", "/partner_result",  # the two-party scan's buttons after the result
})

# The texts live in mkbscan/content/guard.yml (one variant each, so fixed at import).
NOTICES = {reason: say(f"guard_{reason}") for reason in (EMPTY, TOO_LONG, COMMAND)}
FLOOD_REPLY = say("guard_flood")
FAILURE_REPLY = say("guard_failure")
BAD_REQUEST = say("guard_bad_request")
BAD_SENDER = say("guard_bad_sender")

# C0 and C1 controls except \t and \n; lone surrogates (not encodable as UTF-8);
# bidirectional embeddings, overrides and isolates (text that displays reversed).
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# Rasa's own syntax for an intent typed as text: /name, /name{json}, /name@0.9 (any order).
_COMMAND = re.compile(r"^/+[^\s{@/]*\s*([{@].*)?$", re.DOTALL)
_LEADING_SLASHES = re.compile(r"^[\s/]+")
_NOT_IN_SENDER = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Checked:
    """The text the bot gets, and why it was refused (None: it is read as typed)."""

    text: str
    refused: str | None = None

    @property
    def notice(self) -> str | None:
        return NOTICES.get(self.refused or "")


def clean(text: str) -> str:
    """Without control characters (newline and tab kept); \\r\\n becomes \\n."""
    return _UNWANTED.sub("", text.replace("\r\n", "\n"))


def _unslash(text: str) -> str:
    """Without leading slashes and white space, so Rasa never reads it as an intent."""
    return _LEADING_SLASHES.sub("", text)


def check_message(raw: object) -> Checked:
    """Clean what a client sent as the message text and decide whether it may be read."""
    if isinstance(raw, bool) or raw is None:
        text = ""
    elif isinstance(raw, int | float):
        text = str(raw)
    elif isinstance(raw, str):
        text = raw
    else:
        text = ""
    text = clean(text).strip()
    if len(text) > MAX_CHARACTERS:
        return Checked(_unslash(text[:MAX_CHARACTERS]) + ELLIPSIS, TOO_LONG)
    if text in BUTTON_PAYLOADS:
        return Checked(text)
    if text.startswith("/"):
        plain = _unslash(text)
        if not plain:
            return Checked("", EMPTY)
        if _COMMAND.match(text):
            return Checked(plain, COMMAND)
        return Checked(plain)
    if not text:
        return Checked("", EMPTY)
    return Checked(text)


def guard_metadata(metadata: object, checked: Checked) -> dict | None:
    """The client's metadata (a dict, else dropped) with our own key set or removed."""
    result = dict(metadata) if isinstance(metadata, dict) else {}
    result.pop(METADATA_KEY, None)
    if checked.refused:
        result[METADATA_KEY] = checked.refused
    return result or None


def valid_sender(sender: object) -> bool:
    return (isinstance(sender, str) and 0 < len(sender) <= 128
            and not _NOT_IN_SENDER.search(sender) and sender.strip() == sender)


def parse_rate_limit(value: str | None) -> tuple[int, float] | None:
    """"20/10" -> (20, 10.0): at most 20 messages per sender in 10 s. "0"/"off": no limit."""
    value = (value or "20/10").strip().lower()
    if value in ("0", "off", "none", ""):
        return None
    count, _, seconds = value.partition("/")
    try:
        limit = (int(count), float(seconds or "10"))
    except ValueError as exc:
        raise ValueError(f"CHAT_RATE_LIMIT must look like 20/10, not {value!r}") from exc
    if limit[0] < 1 or limit[1] <= 0:
        raise ValueError(f"CHAT_RATE_LIMIT must look like 20/10, not {value!r}")
    return limit


class RateLimiter:
    """At most `limit` messages per sender in `window` seconds, counting refused ones too.

    Refused attempts count, so a client that keeps flooding stays refused until it pauses.
    Memory is bounded: the timestamps of the last `limit` messages for at most
    `max_senders` senders (the least recently seen are forgotten first).
    """

    def __init__(self, limit: int = 20, window: float = 10.0, max_senders: int = 10_000,
                 clock: object = time.monotonic) -> None:
        self.limit, self.window, self.max_senders = limit, window, max_senders
        self._clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> RateLimiter | None:
        parsed = parse_rate_limit(os.environ.get("CHAT_RATE_LIMIT"))
        return cls(*parsed) if parsed else None

    def allow(self, sender: str) -> bool:
        now = float(self._clock())  # type: ignore[operator]
        with self._lock:
            stamps = self._seen.pop(sender, None)
            if stamps is None:
                stamps = deque(maxlen=self.limit)
            allowed = len(stamps) < self.limit or now - stamps[0] >= self.window
            stamps.append(now)
            self._seen[sender] = stamps
            while len(self._seen) > self.max_senders:
                self._seen.popitem(last=False)
            return allowed
