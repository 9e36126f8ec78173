"""The channels' input guards as pure functions (mkbscan.rasa.input_guard) and their helpers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mkbscan.rasa.input_guard import (
    BUTTON_PAYLOADS,
    COMMAND,
    ELLIPSIS,
    EMPTY,
    MAX_CHARACTERS,
    METADATA_KEY,
    NOTICES,
    TOO_LONG,
    Checked,
    RateLimiter,
    check_message,
    clean,
    guard_metadata,
    parse_rate_limit,
    valid_sender,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["", "   ", "\n\t ", None, {"x": 1}, ["a"], True, "\x00\x01",
                                 "/", "///", " / "])
def test_empty_is_refused_with_a_dutch_notice(raw: object) -> None:
    checked = check_message(raw)
    assert checked == Checked("", EMPTY)
    assert checked.notice and checked.notice.startswith("Je bericht was leeg")


def test_numbers_are_read_as_text() -> None:
    assert check_message(25) == Checked("25")


def test_control_characters_are_removed_but_newline_and_tab_kept() -> None:
    assert clean("pro\x00duc\x07tie\x1b[31m") == "productie[31m"
    assert clean("a\r\nb\tc\rd") == "a\nb\tcd"
    assert clean("\x85x\x9fy\x7f") == "xy"
    assert clean("abc\u202edef\u2066g") == "abcdefg"  # bidi overrides
    assert clean("lone \ud800 surrogate") == "lone  surrogate"
    assert clean("emoji 😀 en één ß") == "emoji 😀 en één ß"
    assert check_message("  ja\x00  ") == Checked("ja")


def test_too_long_is_capped_and_refused() -> None:
    checked = check_message("x" * 1_000_000)
    assert checked.refused == TOO_LONG
    assert checked.text == "x" * MAX_CHARACTERS + ELLIPSIS
    assert "1000 tekens" in (checked.notice or "")
    assert check_message("y" * MAX_CHARACTERS) == Checked("y" * MAX_CHARACTERS)


def test_a_long_button_payload_is_refused_like_long_text() -> None:
    checked = check_message("/affirm" + "x" * 2000)
    assert checked.refused == TOO_LONG
    assert not checked.text.startswith("/") and len(checked.text) == MAX_CHARACTERS
    assert not check_message(" / /" + "z" * 2000).text.startswith("/")


@pytest.mark.parametrize("payload", sorted(BUTTON_PAYLOADS))
def test_our_button_payloads_pass_unchanged(payload: str) -> None:
    assert check_message(payload) == Checked(payload)
    assert check_message(f"  {payload}\n") == Checked(payload)


@pytest.mark.parametrize(("typed", "text"), [
    ("/lead_submit", "lead_submit"),
    ('/affirm{"email":"x@y.nl"}', 'affirm{"email":"x@y.nl"}'),
    ('/provide_contact{"email": "x@y.nl", "name": "X"}',
     'provide_contact{"email": "x@y.nl", "name": "X"}'),
    ("/affirm@0.99", "affirm@0.99"),
    ("//affirm", "affirm"),
    ("/AFFIRM", "AFFIRM"),
    ("/ja", "ja"),
    ('/request_erasure{"x": [1,\n2]}', 'request_erasure{"x": [1,\n2]}'),
])
def test_other_commands_lose_the_slash_and_are_refused(typed: str, text: str) -> None:
    checked = check_message(typed)
    assert checked == Checked(text, COMMAND)
    assert checked.notice and "/" in checked.notice


@pytest.mark.parametrize(("typed", "text"), [
    ("/ ja graag", "ja graag"),
    ("/ja graag", "ja graag"),
    ("/ /lead_submit", "lead_submit"),
    ("/groot deel", "groot deel"),
])
def test_other_slash_text_is_read_as_plain_text(typed: str, text: str) -> None:
    assert check_message(typed) == Checked(text)


def test_no_checked_text_starts_with_a_slash_unless_it_is_a_button() -> None:
    samples = ["/x", "/ /x", "//", "/" * 1500, " /\t/y{}", "/a b", "/" + "a" * 999 + "/"]
    for sample in samples:
        checked = check_message(sample)
        assert not checked.text.startswith("/") and not checked.text.startswith(" ")


def test_the_allowed_payloads_are_exactly_the_ones_the_code_sends() -> None:
    sources = [*ROOT.glob("mkbscan/**/*.py"), *ROOT.glob("actions/*.py")]
    sent = set()
    for path in sources:
        for call in re.findall(r"intent_buttons\(([^)]*(?:\)[^)]*)*?)\)\)", path.read_text()):
            sent.update(re.findall(r',\s*"([a-z_]+)"\)', call))  # (title, "intent")
    widget = (ROOT / "web" / "widget.js").read_text()
    from_widget = set(re.findall(r'"(/[a-z_]+)"', widget))  # /greet, "Vorige", "Waarom?"
    assert {"/greet", "/previous_question", "/explain_question", "/email_report"} <= from_widget
    sent_payloads = {f"/{intent}" for intent in sent} | from_widget
    # correct_field and capabilities are sent by buttons built elsewhere in the flow.
    assert sent_payloads <= BUTTON_PAYLOADS
    assert {"/affirm", "/deny", "/greet", "/start_scan", "/resume_scan", "/restart_scan",
            "/request_advisor", "/capabilities", "/correct_field", "/previous_question",
            "/explain_question", "/email_report", "/invite_partner",
            "/partner_result"} == BUTTON_PAYLOADS
    domain = (ROOT / "domain.yml").read_text()
    for payload in BUTTON_PAYLOADS:
        assert f"  - {payload[1:]}\n" in domain, f"{payload} is not an intent of the domain"


def test_metadata_carries_our_reason_and_never_the_clients() -> None:
    refused = Checked("", EMPTY)
    assert guard_metadata(None, refused) == {METADATA_KEY: EMPTY}
    assert guard_metadata({"a": 1, METADATA_KEY: "x"}, Checked("ja")) == {"a": 1}
    assert guard_metadata({METADATA_KEY: "x"}, Checked("ja")) is None
    assert guard_metadata("not a dict", Checked("ja")) is None


@pytest.mark.parametrize(("sender", "ok"), [
    ("anne", True), ("test-0123abcd", True), ("x" * 128, True), ("", False),
    ("x" * 129, False), (None, False), (12, False), ("a\nb", False), (" a", False),
])
def test_sender_ids(sender: object, ok: bool) -> None:
    assert valid_sender(sender) is ok


def test_rate_limit_setting() -> None:
    assert parse_rate_limit(None) == (20, 10.0)
    assert parse_rate_limit("5/2.5") == (5, 2.5)
    assert parse_rate_limit("off") is None and parse_rate_limit("0") is None
    for bad in ("x/10", "0/10", "5/0", "5/-1"):
        with pytest.raises(ValueError):
            parse_rate_limit(bad)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_flood_from_one_sender_is_refused_until_it_pauses() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, 10.0, clock=clock)
    results = []
    for _ in range(25):
        results.append(limiter.allow("anne"))
        clock.now += 0.1
    assert results == [True] * 20 + [False] * 5
    assert limiter.allow("piet"), "another sender is not affected"
    clock.now += 5.0
    assert not limiter.allow("anne"), "refused attempts count: still within the window"
    clock.now += 10.0
    assert limiter.allow("anne")


def test_a_steady_human_pace_is_never_refused() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, 10.0, clock=clock)
    for _ in range(500):
        assert limiter.allow("anne")
        clock.now += 0.5


def test_the_limiter_forgets_the_oldest_senders() -> None:
    limiter = RateLimiter(2, 10.0, max_senders=100, clock=FakeClock())
    for number in range(1000):
        limiter.allow(f"s{number}")
    assert len(limiter._seen) == 100


def test_notices_are_dutch() -> None:
    for text in NOTICES.values():
        assert re.search(r"\b(je|bericht|knoppen)\b", text)


def test_the_nlu_guard_refuses_what_the_channel_refused() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from mkbscan.rasa.nlu_guard import MessageGuard

    guard = MessageGuard({"max_characters": MAX_CHARACTERS})
    messages = [
        Message(data={"text": "lead_submit", "metadata": {METADATA_KEY: COMMAND},
                      "intent": {"name": "request_advisor", "confidence": 0.9}}),
        Message(data={"text": "ja graag", "metadata": {"other": 1},
                      "intent": {"name": "affirm", "confidence": 0.9}}),
        Message(data={"text": "x" * 1001, "intent": {"name": "goodbye", "confidence": 0.9}}),
    ]
    guard.process(messages)
    assert [m.get("intent")["name"] for m in messages] == ["nlu_fallback", "affirm",
                                                            "nlu_fallback"]


def test_the_action_server_delay_hook_is_off_without_its_file(tmp_path: Path) -> None:
    from mkbscan.rasa.action_server import configured_delay

    delays = tmp_path / "delays.json"
    assert configured_delay(delays, "action_lead_submit") == 0.0
    delays.write_text(json.dumps({"action_lead_submit": 4, "action_x": 1e9}))
    assert configured_delay(delays, "action_lead_submit") == 4.0
    assert configured_delay(delays, "action_scan_answer") == 0.0
    assert configured_delay(delays, "action_x") == 120.0
    delays.write_text("not json")
    assert configured_delay(delays, "action_lead_submit") == 0.0


def test_the_action_timeout_is_lowered_in_rasa() -> None:
    import rasa.core.actions.action
    import rasa.utils.endpoints

    from mkbscan.rasa.channels import DEFAULT_ACTION_TIMEOUT, apply_action_timeout

    try:
        assert apply_action_timeout(7.0) == 7.0
        assert rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT == 7.0
        assert rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT == 7.0
    finally:
        apply_action_timeout(DEFAULT_ACTION_TIMEOUT)
