"""Concurrent users for the scale-out test: a complete scan plus a hand-over each, over REST.

A failed request (HTTP error, reset connection, no reply) is retried once, but never blindly:
the message may have been processed by the server that died (its tracker was saved to
PostgreSQL, only the reply was lost). Before resending, the user looks in the tracker store
whether the message's `user` event is there; if so, the reply is read from the bot events
that follow it instead of sending the message a second time (which would e.g. count one
answer for two questions).
"""

from __future__ import annotations

import http.client
import json
import random
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from devtools.load import Step, scan_plan
from mkbscan.rasa.input_guard import FAILURE_REPLY

FIRST_NAMES = ("Anne", "Piet", "Sanne", "Tom", "Lisa", "Joost", "Fleur", "Bram", "Eva", "Daan")
LAST_NAMES = ("de Wit", "Jansen", "Bakker", "Visser", "Smit")
SECTORS = ("Metaal", "Bouw", "Logistiek", "Advies", "Techniek")

TRANSPORT_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                    socket.timeout, TimeoutError, json.JSONDecodeError)


@dataclass(frozen=True)
class Script:
    """One user: the messages as typed, the expected reply patterns, the expected lead."""

    sender: str
    steps: tuple[Step, ...]
    expected_total: int
    name: str
    company: str
    email: str


def user_script(index: int, run_id: str) -> Script:
    plan = scan_plan(random.Random(f"scale-{index}"))
    assert plan.expected_total is not None
    first, last = FIRST_NAMES[index % 10], LAST_NAMES[(index // 10) % 5]
    surname = last.split()[-1]
    sector = SECTORS[index % 5]
    name, company = f"{first} {last}", f"{surname} {sector}"
    email = f"{first.lower()}.{surname.lower()}{index}@{surname.lower()}{sector.lower()}.nl"
    hand_over = (
        Step("ja graag", r"Ga je akkoord\?"),
        Step("ja, akkoord", r"Wat is je naam\?"),
        Step(f"Ik ben {name} van {company}, {email}", r"telefoonnummer"),
        Step("nee", r"Wanneer"),
        Step("nee", r"vraag voor Marco"),
        Step("nee", r"Klopt dit\?"),
        Step("ja", re.escape(email)),
    )
    return Script(f"scale-{run_id}-{index:02d}", plan.steps + hand_over, plan.expected_total,
                  name, company, email)


class TrackerProbe:
    """Read-only look into Rasa's SQL tracker store (the `events` table)."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url, pool_size=5, max_overflow=5)

    def user_messages(self, sender: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(
                text("SELECT COUNT(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
                {"s": sender}).scalar() or 0)

    def last_reply(self, sender: str) -> list[dict[str, Any]]:
        """The bot messages after the last user message, as the REST channel returns them."""
        query = text(
            "SELECT data FROM events WHERE sender_id = :s AND type_name = 'bot' AND id > "
            "(SELECT MAX(id) FROM events WHERE sender_id = :s AND type_name = 'user') "
            "ORDER BY id")
        with self.engine.connect() as conn:
            rows = conn.execute(query, {"s": sender}).scalars().all()
        return [{"text": json.loads(row).get("text") or ""} for row in rows]

    def describe(self, sender: str) -> str:
        """The conversation's events in short, for a failure message."""
        query = text("SELECT id, type_name, intent_name, action_name, timestamp, data "
                     "FROM events WHERE sender_id = :s ORDER BY id")
        with self.engine.connect() as conn:
            rows = conn.execute(query, {"s": sender}).all()
        lines = []
        for row in rows:
            data = json.loads(row.data)
            detail = row.intent_name or row.action_name or (data.get("text") or "")[:40]
            if row.type_name == "slot" and data.get("name") == "awaiting":
                detail = f"awaiting={data.get('value')}"
            lines.append(f"{row.id} {row.timestamp:.3f} {row.type_name} {detail}")
        return "\n".join(lines)

    def dispose(self) -> None:
        self.engine.dispose()


@dataclass
class Stats:
    messages: int = 0
    first_failures: list[str] = field(default_factory=list)  # failed first attempts
    failure_times: list[float] = field(default_factory=list)
    recovered: int = 0  # processed before the failure: reply read from the tracker
    resent: int = 0  # not processed: sent again through the load balancer
    errors: list[str] = field(default_factory=list)  # what is still wrong after the retry
    diagnoses: list[str] = field(default_factory=list)  # the tracker of a failed conversation
    finals: dict[str, str] = field(default_factory=dict)  # sender -> reply with the result
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, attribute: str, value: Any) -> None:
        with self.lock:
            getattr(self, attribute).append(value)


class User:
    def __init__(self, url: str, probe: TrackerProbe, stats: Stats, timeout: float = 180) -> None:
        self.url, self.probe, self.stats, self.timeout = url, probe, stats, timeout

    def _post(self, sender: str, message: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(self.url, data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:
            messages = json.loads(reply.read().decode())
        # A failed action turn: nothing, or the channel's Dutch failure notice.
        if not messages or any(m.get("text") == FAILURE_REPLY for m in messages):
            raise ConnectionError("empty or failure reply")
        return messages

    def send(self, sender: str, message: str, processed: int) -> list[dict[str, Any]]:
        """Send one message; `processed` is how many of this sender's messages are done."""
        started = time.perf_counter()
        try:
            return self._post(sender, message)
        except TRANSPORT_ERRORS as error:
            self.stats.add("first_failures", f"{sender} #{processed + 1}: {error!r:.120}")
            self.stats.add("failure_times", time.monotonic())
        finally:
            self.stats.add("latencies", time.perf_counter() - started)
        time.sleep(1.0)  # let the database finish a commit that was under way
        if self.probe.user_messages(sender) > processed:
            with self.stats.lock:
                self.stats.recovered += 1
            self.stats.add("first_failures", f"{sender} #{processed + 1}: reply from tracker")
            return self.probe.last_reply(sender)
        with self.stats.lock:
            self.stats.resent += 1
        self.stats.add("first_failures", f"{sender} #{processed + 1}: resent")
        return self._post(sender, message)

    def run(self, script: Script) -> None:
        reply_text = ""
        for number, step in enumerate(script.steps):
            try:
                reply = self.send(script.sender, step.text, number)
            except TRANSPORT_ERRORS as error:
                self.stats.add("errors", f"{script.sender} #{number + 1} {step.text!r}: "
                                         f"failed twice ({error!r:.120})")
                return
            finally:
                with self.stats.lock:
                    self.stats.messages += 1
            reply_text = "\n\n".join(m.get("text") or "" for m in reply)
            if step.expect and not re.search(step.expect, reply_text):
                self.stats.add("errors", f"{script.sender} #{number + 1} {step.text!r}: "
                                         f"expected /{step.expect}/, got {reply_text[:160]!r}")
                self.stats.add("diagnoses", f"{script.sender}:\n"
                                            f"{self.probe.describe(script.sender)}")
                return
            if "Totaalscore" in reply_text:
                with self.stats.lock:
                    self.stats.finals[script.sender] = reply_text
