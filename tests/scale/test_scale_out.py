"""Scale-out on one machine: 2 Rasa servers and 2 action servers behind nginx, PostgreSQL,
a Redis lock store. 50 concurrent users each do a complete scan and a hand-over through the
load balancer while one Rasa server is killed with SIGKILL halfway.

Select with `pytest -m scale`; part of `make test`. Needs nginx, redis-server and
PostgreSQL from Debian (skipped locally without them, a failure under CI=true).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest

from devtools.load import percentile
from devtools.scaleout import Topology
from mkbscan.leads.models import LeadContact
from mkbscan.leads.store import LeadStore
from mkbscan.scan.snapshot import ScanSnapshot
from tests.scale.conftest import MAIL_RETRY_INTERVAL_S, SmtpSink
from tests.scale.driver import Stats, TrackerProbe, User, user_script

pytestmark = [pytest.mark.scale, pytest.mark.stack, pytest.mark.postgres]

USERS = 50
KILL_AFTER = 0.5  # share of all messages sent when rasa-1 gets SIGKILL
STAGGER_S = 0.4  # user i starts i * STAGGER_S later, so users are at different stages
TOTAL = re.compile(r"Totaalscore: (\d+)/100")


def test_outbox_claim_is_exclusive_with_several_workers(topology: Topology) -> None:
    """Several delivery workers claim the PostgreSQL outbox at once: no row twice, none lost."""
    pg = topology.postgres
    assert pg is not None
    pg.create_database("claims")
    stores = [LeadStore(pg.url("claims")) for _ in range(4)]
    now = datetime.now(timezone.utc)
    for number in range(60):
        contact = LeadContact(name=f"Test {number}", company="Claim BV",
                              email=f"claim{number}@example.nl")
        stores[0].submit_lead(f"claim-{number}", contact, "v1", now, ScanSnapshot(), "")
    claimed: list[list[int]] = [[] for _ in stores]
    barrier = threading.Barrier(len(stores))

    def worker(index: int) -> None:
        barrier.wait()
        while items := stores[index].claim_due(limit=3):
            claimed[index].extend(item.lead_id for item in items)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    everything = [lead_id for ids in claimed for lead_id in ids]
    assert len(everything) == len(set(everything)) == 60
    assert sum(1 for ids in claimed if ids) >= 2, "the workers did not run concurrently"
    for store in stores:
        store.dispose()


def _upstreams(access_log: Path) -> Counter[str]:
    """REST requests per Rasa server that answered them (200), from nginx's access log."""
    counts: Counter[str] = Counter()
    for line in access_log.read_text().splitlines():
        if "/webhooks/rest/webhook" in line and '" 200 ' in line:
            match = re.search(r"upstream=(\S+)", line)
            if match:
                counts[match[1].rstrip(",")] += 1
    return counts


def test_fifty_scans_with_hand_over_survive_a_killed_rasa_server(
        topology: Topology, smtp_sink: tuple[SmtpSink, int]) -> None:
    sink, _ = smtp_sink
    run_id = uuid.uuid4().hex[:6]
    scripts = [user_script(i, run_id) for i in range(USERS)]
    total_messages = sum(len(s.steps) for s in scripts)
    probe = TrackerProbe(topology.tracker_url)
    stats = Stats()
    user = User(topology.rest_url, probe, stats)
    finished = threading.Event()
    kill: dict[str, float] = {}

    def killer() -> None:
        while stats.messages < KILL_AFTER * total_messages and not finished.is_set():
            time.sleep(0.05)
        if not finished.is_set():
            kill["messages"], kill["time"] = stats.messages, time.monotonic()
            topology.kill("rasa-1")

    def run_user(index: int) -> None:
        time.sleep(index * STAGGER_S)
        user.run(scripts[index])

    kill_thread = threading.Thread(target=killer, daemon=True)
    kill_thread.start()
    started = time.monotonic()
    with ThreadPoolExecutor(USERS) as pool:
        for future in [pool.submit(run_user, i) for i in range(USERS)]:
            future.result()
    duration = time.monotonic() - started
    finished.set()
    kill_thread.join(60)
    probe.dispose()

    # the conversations: no errors after one retry, every score right
    if stats.errors:
        print("\n".join(stats.first_failures), "\n\n".join(stats.diagnoses[:3]), sep="\n")
    assert stats.errors == [], "\n".join(stats.errors[:10])
    assert stats.messages == total_messages
    assert "time" in kill, "rasa-1 was not killed during the run"
    wrong = [(s.sender, s.expected_total, TOTAL.findall(stats.finals.get(s.sender, "")))
             for s in scripts
             if TOTAL.findall(stats.finals.get(s.sender, ""))[-1:] != [str(s.expected_total)]]
    assert wrong == []
    assert all(t >= kill["time"] for t in stats.failure_times), "failures before the kill"
    assert stats.recovered + stats.resent <= USERS

    # both Rasa servers answered (the conversations moved between them), rasa-1 is dead
    alive = {name: running for name, running, _ in topology.status()}
    assert alive["rasa-1"] is False and alive["rasa-2"] is True
    served = _upstreams(topology.config.run_dir / "nginx" / "access.log")
    rasa_ports = [f"127.0.0.1:{port}" for port in topology.state["rasa_ports"]]
    assert all(served[address] > 0 for address in rasa_ports), served

    # every lead stored exactly once, with the right details and score
    store = LeadStore(topology.leads_url)
    leads = [lead for lead in store.list_leads() if lead.conversation_id.startswith(
        f"scale-{run_id}-")]
    per_sender = Counter(lead.conversation_id for lead in leads)
    assert per_sender == Counter({s.sender: 1 for s in scripts})
    by_sender = {lead.conversation_id: lead for lead in leads}
    for script in scripts:
        lead = by_sender[script.sender]
        assert (lead.name, lead.company, lead.email) == (script.name, script.company,
                                                         script.email)
        assert lead.scan.scores.total == script.expected_total

    # every lead mailed exactly once (counted by the SMTP server, per Message-ID)
    message_ids = {str(lead.message_id) for lead in leads}
    sink.wait_for(message_ids, timeout=60)
    time.sleep(3 * MAIL_RETRY_INTERVAL_S + 1)  # room for a duplicate to show up
    assert {mid: sink.counts[mid] for mid in message_ids} == {mid: 1 for mid in message_ids}
    assert set(sink.counts) == message_ids
    assert all(lead.delivery_status == "sent" for lead in store.list_leads()
               if lead.conversation_id in by_sender)
    store.dispose()

    latencies = stats.latencies
    print(f"\n[scale] {USERS} users, {total_messages} messages in {duration:.1f} s "
          f"({total_messages / duration:.1f} msg/s); latency p50 "
          f"{1000 * percentile(latencies, 50):.0f} ms, p95 {1000 * percentile(latencies, 95):.0f}"
          f" ms, max {1000 * max(latencies):.0f} ms; rasa-1 killed after "
          f"{kill['messages']} messages ({kill['time'] - started:.1f} s); failed first "
          f"attempts {len(stats.failure_times)} (reply read from the tracker "
          f"{stats.recovered}, resent {stats.resent}); errors {len(stats.errors)}; "
          f"leads {len(leads)}; mails {sum(sink.counts[m] for m in message_ids)}; "
          f"served per Rasa server {dict(served)}")
    for failure in stats.first_failures[:6]:
        print(f"[scale]   first attempt failed: {failure}")
