"""A load driver: scripted conversations over the REST channel with N concurrent users.

Used by `make bench` (devtools.bench) and by the smoke test in tests/bench/.
A *plan* is one conversation as a user types it: messages, a pattern each reply must
contain, and for a samenwerkingsscan the total the result must show. Every conversation
gets its own sender id. Users run concurrently; each user runs its plans one after the
other. The run is bounded by the number of plans and by a deadline, and only talks to the
URL it is given (the benchmark passes 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp

from mkbscan.scan.questions import load_content
from mkbscan.scan.scoring import compute_result
from mkbscan.wording import say

Level = int | None

# Varied free-text phrasings per level of the scale (None = "Weet ik niet"); every one is
# read to its level by mkbscan.scan.answers.parse_scale (checked in tests/bench).
SCALE_PHRASINGS: dict[Level, tuple[str, ...]] = {
    3: ("ja helemaal", "ja, volledig", "absoluut", "ja hoor, helemaal", "zeker"),
    2: ("grotendeels wel", "grotendeels", "voor een groot deel", "meestal wel", "redelijk"),
    1: ("een beetje", "deels", "af en toe", "nauwelijks", "gedeeltelijk"),
    0: ("nee nog niet", "nee", "helemaal niet", "nog niet", "nee hoor"),
    None: ("geen idee", "weet ik niet", "geen flauw idee", "weet ik echt niet", "kweenie"),
}
C1_PHRASINGS = ("productie", "we willen onze productie uitbesteden", "logistiek", "ict")
C2_PHRASINGS = ("een nieuwe partner", "een bestaande leverancier")
C3_PHRASINGS = ("zo'n 25 man", "we zijn met 12 mensen", "ongeveer 60")
TOTAL = re.compile(r"Totaalscore: (\d+)/100")

# The stock Rasa 3.6 `rasa init` assistant (moodbot): message and a pattern of its reply.
MOODBOT_TURNS: tuple[tuple[str, str], ...] = (
    ("hello", r"How are you"),
    ("I am sad", r"Did that help you"),
    ("yes", r"Great, carry on"),
    ("goodbye", r"Bye"),
)


@dataclass(frozen=True)
class Step:
    text: str
    expect: str | None = None  # regex the reply text must contain (None: any non-empty reply)


@dataclass(frozen=True)
class Plan:
    """One scripted conversation."""

    steps: tuple[Step, ...]
    expected_total: int | None = None  # for a scan: the Totaalscore of the last reply

    @property
    def messages(self) -> int:
        return len(self.steps)


def scan_plan(rng: random.Random) -> Plan:
    """A complete samenwerkingsscan with random levels and phrasings, typed as free text."""
    content = load_content()
    levels: list[Level] = [rng.choice([3, 2, 1, 0, None]) for _ in content.scored]
    def heading(key: str, number: int) -> str:
        return re.escape(say(key, number=number)) + r"\b"

    steps = [
        Step("hallo"),
        Step("ik wil de scan doen", heading("context_heading", 1)),
        Step(rng.choice(C1_PHRASINGS), heading("context_heading", 2)),
        Step(rng.choice(C2_PHRASINGS), heading("context_heading", 3)),
        Step(rng.choice(C3_PHRASINGS), heading("question_heading", 1)),
    ]
    count = len(content.scored)
    for number, level in enumerate(levels, start=1):
        expect = heading("question_heading", number + 1) if number < count else TOTAL.pattern
        steps.append(Step(rng.choice(SCALE_PHRASINGS[level]), expect))
    answers = {q.id: level for q, level in zip(content.scored, levels, strict=True)}
    return Plan(tuple(steps), expected_total=compute_result(answers, content).total)


def moodbot_plan(messages: int) -> Plan:
    """The stock moodbot conversation, repeated to `messages` messages."""
    turns = [MOODBOT_TURNS[i % len(MOODBOT_TURNS)] for i in range(messages)]
    return Plan(tuple(Step(text, expect) for text, expect in turns))


def scan_plans(seed: int = 42) -> Callable[[int, int], Plan]:
    """Plan factory for run_load: a reproducible scan per (user, conversation)."""

    def factory(user: int, index: int) -> Plan:
        return scan_plan(random.Random(f"{seed}-{user}-{index}"))

    return factory


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class LoadResult:
    users: int
    conversations: int = 0
    messages: int = 0
    errors: int = 0  # transport errors, HTTP status != 200, timeouts, empty replies
    off_script: int = 0  # a reply without its expected pattern
    wrong_scores: int = 0  # scan result missing or with another total than compute_result
    duration_s: float = 0.0
    truncated: bool = False  # the deadline stopped the run before all plans ran
    latencies_s: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # first few, for the report

    @property
    def throughput(self) -> float:
        return self.messages / self.duration_s if self.duration_s else 0.0

    def latency_ms(self, pct: float) -> float:
        return 1000 * percentile(self.latencies_s, pct)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.off_script or self.wrong_scores or self.truncated)

    def note(self, problem: str) -> None:
        if len(self.problems) < 10:
            self.problems.append(problem)

    def summary(self) -> str:
        return (f"{self.users:>3} users: {self.conversations} conversations, "
                f"{self.messages} messages in {self.duration_s:.1f} s = "
                f"{self.throughput:.1f} msg/s; latency p50 {self.latency_ms(50):.0f} ms, "
                f"p95 {self.latency_ms(95):.0f} ms, p99 {self.latency_ms(99):.0f} ms; "
                f"errors {self.errors}, off-script {self.off_script}, "
                f"wrong scores {self.wrong_scores}"
                + (" (TRUNCATED by the deadline)" if self.truncated else ""))


async def _converse(session: aiohttp.ClientSession, url: str, sender: str, plan: Plan,
                    result: LoadResult, timeout: float) -> None:
    last = ""
    for number, step in enumerate(plan.steps, start=1):
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": step.text},
                                    timeout=aiohttp.ClientTimeout(total=timeout)) as reply:
                status = reply.status
                body = await reply.json(content_type=None) if status == 200 else None
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            result.errors += 1
            result.note(f"{sender} #{number} {step.text!r}: {type(error).__name__} {error}")
            continue
        finally:
            result.messages += 1
        result.latencies_s.append(time.perf_counter() - started)
        if status != 200 or not isinstance(body, list) or not body:
            result.errors += 1
            result.note(f"{sender} #{number} {step.text!r}: HTTP {status}, body {body!r:.200}")
            continue
        last = "\n\n".join(m.get("text", "") for m in body if isinstance(m, dict))
        if step.expect and not re.search(step.expect, last):
            result.off_script += 1
            result.note(f"{sender} #{number} {step.text!r}: expected /{step.expect}/, "
                        f"got {last[:200]!r}")
    if plan.expected_total is not None:
        match = TOTAL.search(last)
        if not match or int(match[1]) != plan.expected_total:
            result.wrong_scores += 1
            result.note(f"{sender}: expected Totaalscore {plan.expected_total}, "
                        f"got {match[0] if match else 'no result'}")


async def run_load(url: str, users: int, conversations_per_user: int,
                   plan_for: Callable[[int, int], Plan], *, sender_prefix: str = "load",
                   timeout: float = 60, deadline_s: float = 600) -> LoadResult:
    """Drive `users` concurrent users, each through `conversations_per_user` plans."""
    result = LoadResult(users=users)
    plans = [[plan_for(u, i) for i in range(conversations_per_user)] for u in range(users)]
    run_id = uuid.uuid4().hex[:6]
    deadline = time.monotonic() + deadline_s

    async def user(session: aiohttp.ClientSession, number: int) -> None:
        for index, plan in enumerate(plans[number]):
            if time.monotonic() > deadline:
                result.truncated = True
                return
            sender = f"{sender_prefix}-{run_id}-u{number}-c{index}"
            await _converse(session, url, sender, plan, result, timeout)
            result.conversations += 1

    connector = aiohttp.TCPConnector(limit=max(users, 1))
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(user(session, n) for n in range(users)))
        result.duration_s = time.perf_counter() - started
    return result


def drive(url: str, users: int, conversations_per_user: int,
          plan_for: Callable[[int, int], Plan], **options: object) -> LoadResult:
    """Synchronous wrapper around run_load."""
    return asyncio.run(run_load(url, users, conversations_per_user, plan_for,
                                **options))  # type: ignore[arg-type]
