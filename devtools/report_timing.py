"""How long a report link takes to answer, known or not (`make bench`).

A guessed link must answer 404 without a timing difference worth measuring: nothing may
tell an attacker that a guess was close. The site looks a token up by its SHA-256 (one
primary-key read, whatever the token); this measures it on a running site. One report is
saved under a known token and one under a token that is then erased; requests for the known
token (200), the known token with its last character changed, random tokens and the erased
token (all 404) are interleaved in random order over one keep-alive connection, and the
medians compared.
"""

from __future__ import annotations

import http.client
import random
import secrets
import statistics
import time
from dataclasses import dataclass, field

from mkbscan.leads.reports import save_report
from mkbscan.leads.store import LeadStore
from mkbscan.scan.questions import load_content

KINDS = ("known", "near miss", "random", "erased")
SCAN = {"context": {}, "context_labels": {},
        "answers": {q.id: 2 for q in load_content().scored}, "status": "finished"}


@dataclass
class ReportTiming:
    ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, set[int]] = field(default_factory=dict)

    def median(self, kind: str) -> float:
        return statistics.median(self.ms[kind])

    @property
    def spread_ms(self) -> float:
        """The largest difference between the medians of the three kinds of 404."""
        misses = [self.median(kind) for kind in KINDS[1:]]
        return max(misses) - min(misses)


def _other_last(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def measure(port: int, database_url: str, rounds: int = 200) -> ReportTiming:
    store = LeadStore(database_url)
    known, erased = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    save_report(store, "bench-timing-known", known, SCAN)
    save_report(store, "bench-timing-erased", erased, SCAN)
    store.erase_by_conversation("bench-timing-erased")
    timing = ReportTiming({kind: [] for kind in KINDS}, {kind: set() for kind in KINDS})
    plan = [kind for kind in KINDS for _ in range(rounds)]
    random.Random(7).shuffle(plan)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for kind in ("known", "random") * 10:  # warm up
            _get(connection, f"/rapport/{known if kind == 'known' else 'x' * 43}")
        for kind in plan:
            token = {"known": known, "near miss": _other_last(known), "erased": erased,
                     "random": secrets.token_urlsafe(32)}[kind]
            status, seconds = _get(connection, f"/rapport/{token}")
            timing.ms[kind].append(seconds * 1000)
            timing.statuses[kind].add(status)
    finally:
        connection.close()
        store.erase_by_conversation("bench-timing-known")
        store.dispose()
    return timing


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection.request("GET", path)
    reply = connection.getresponse()
    reply.read()
    return reply.status, time.perf_counter() - started
