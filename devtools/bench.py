"""`make bench`: NLU quality, dialogue tests, speed under load and cost, against stock Rasa.
Also the demo page's weight and the time to the widget's greeting (devtools/page_weight.py).

    python -m devtools.bench            everything (about 15-20 minutes on 2 cores)
    python -m devtools.bench --quick    no cross-validation, no 50-user level

Prints the figures and writes docs/benchmarks.md (or --output). Everything it trains,
starts or writes lives in a temp dir: data/ and models/ are only read. The stock baseline
is Rasa's own `rasa init --no-prompt` assistant (moodbot, default config), trained and
served the same way. Servers bind to free ports on 127.0.0.1 and are stopped at the end.
Not part of `make test`; tests/bench/ only runs a 2-user smoke test of the load driver.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import yaml

from devtools.answer_eval import Summary
from devtools.answer_eval import report as answer_report
from devtools.isolated import free_port, isolated_stack
from devtools.load import LoadResult, Plan, drive, moodbot_plan, scan_plans
from devtools.page_weight import KB, PageFigures
from devtools.page_weight import measure as measure_page
from devtools.report_timing import KINDS, ReportTiming
from devtools.report_timing import measure as measure_report_timing
from devtools.stack import Stack, StackConfig
from devtools.train import ROOT, rasa_env, spacy_model
from mkbscan.settings import Settings

BIN = Path(sys.executable).parent
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
MESSAGES_PER_SCAN = 18  # hallo, start, 3 context answers, 13 scored answers
# concurrent users -> conversations per user (bounded count; each level also has a deadline)
LEVELS = {1: 5, 10: 3, 50: 2}
QUICK_LEVELS = {1: 3, 10: 1}
LEVEL_DEADLINE_S = 300.0
REQUEST_TIMEOUT_S = 60.0
OTHER_LOAD_WARNING = 0.10  # warn when other processes used more of the machine than this
GB = 1024**3
MB = 1024**2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

TARGETS = {
    "throughput": 1.0,  # ours / stock at 10 and 50 users, at least
    "p95": 1.3,  # ours / stock at 10 and 50 users, at most
    "rasa_rss": 1.0 * GB,
    "actions_rss": 250 * MB,
    "ready_s": 30.0,
    "train_s": 180.0,
    "macro_f1": 0.95,
    "page_kb": 150.0,  # compressed, the page with the open widget and its greeting
    "greeting_ms": 300.0,  # median, click on the launcher to the first bot message
    # A guessed report link: the medians of the kinds of 404 may differ by at most this.
    "report_spread_ms": 1.0,
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- processes and memory ----------------------------------------------------------------


def run_logged(args: list[str], cwd: Path, log_file: Path,
               env: dict[str, str] | None = None) -> float:
    """Run a command to completion with its output in log_file; return the seconds it took."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(log_file, "w") as out:
        code = subprocess.call(args, cwd=cwd, env=env or rasa_env(), stdout=out,
                               stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - started
    if code != 0:
        tail = log_file.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(args[:3])} ... exited with {code}; {log_file}:\n{tail}")
    return elapsed


@dataclass(frozen=True)
class GroupUsage:
    rss: int  # bytes, VmRSS summed over the group
    cpu_s: float  # user + system CPU seconds of the group's live processes


def group_usage(pgid: int) -> GroupUsage:
    """Memory and CPU time of all processes in a process group (from /proc)."""
    rss, ticks = 0, 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            for line in Path(entry.path, "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1]) * 1024
                    break
        except (OSError, ValueError, IndexError):
            continue
    return GroupUsage(rss, ticks / CLOCK_TICKS)


def group_rss(pgid: int) -> int:
    return group_usage(pgid).rss


def machine_busy_s() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat, without idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLOCK_TICKS


def own_cpu_s() -> float:
    times = os.times()
    return times.user + times.system


class PeakSampler:
    """During a load level: the peak RSS of some process groups (sampled in a thread), the
    CPU seconds each group and the load driver used, and the CPU seconds the rest of the
    machine used (other processes disturb the figures on a shared machine)."""

    def __init__(self, groups: dict[str, int], interval: float = 0.25) -> None:
        self.groups = groups
        self.interval = interval
        self.peaks = dict.fromkeys(groups, 0)
        self.cpu_s: dict[str, float] = {}
        self.other_cpu_s = 0.0
        self.elapsed_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start_cpu: dict[str, float] = {}
        self._start_busy = 0.0
        self._started = 0.0

    def _run(self) -> None:
        while True:
            for name, pgid in self.groups.items():
                self.peaks[name] = max(self.peaks[name], group_rss(pgid))
            if self._stop.wait(self.interval):
                return

    def _cpu(self) -> dict[str, float]:
        cpu = {name: group_usage(pgid).cpu_s for name, pgid in self.groups.items()}
        cpu["driver"] = own_cpu_s()
        return cpu

    def __enter__(self) -> PeakSampler:
        self._start_cpu, self._start_busy = self._cpu(), machine_busy_s()
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.elapsed_s = time.monotonic() - self._started
        end = self._cpu()
        self.cpu_s = {name: end[name] - self._start_cpu[name] for name in end}
        busy = machine_busy_s() - self._start_busy
        self.other_cpu_s = max(0.0, busy - sum(self.cpu_s.values()))

    @property
    def other_share(self) -> float:
        """Share of the machine's CPU capacity used by other processes."""
        cores = len(os.sched_getaffinity(0))
        return self.other_cpu_s / (self.elapsed_s * cores) if self.elapsed_s else 0.0


def dir_or_file_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- the machine -------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def spacy_description() -> str:
    name = spacy_model()
    path = Path(name) if Path(name).is_absolute() else ROOT / name
    meta_file = path / "meta.json"
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        vectors = meta.get("vectors", {}).get("vectors", 0)
        return (f"`{name}`: {meta.get('lang')}_{meta.get('name')} {meta.get('version')}, "
                f"pipeline {meta.get('pipeline')}, {vectors} vectors"
                + (f" ({meta['description']})" if meta.get("description") else ""))
    return f"`{name}` {_version(name.replace('_', '-'))}"


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    return {
        "CPU cores (usable)": f"{len(os.sched_getaffinity(0))} ({cpu})",
        "memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Rasa": _version("rasa"),
        "rasa-sdk": _version("rasa-sdk"),
        "TensorFlow": _version("tensorflow"),
        "spaCy": _version("spacy"),
        "spaCy pipeline (SPACY_MODEL)": spacy_description(),
    }


# --- NLU and dialogue quality ------------------------------------------------------------


@dataclass
class IntentReport:
    per_intent: dict[str, dict[str, float]]  # intent -> precision, recall, f1-score, support
    macro_f1: float
    accuracy: float
    confusions: list[tuple[str, str, int]]  # (true intent, predicted, count), most first
    seconds: float
    examples: int


def read_intent_report(out: Path, seconds: float) -> IntentReport:
    report = json.loads((out / "intent_report.json").read_text())
    per_intent = {name: values for name, values in report.items()
                  if isinstance(values, dict) and name not in
                  ("macro avg", "weighted avg", "micro avg")}
    errors_file = out / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    pairs = Counter((e["intent"], (e.get("intent_prediction") or {}).get("name") or "None")
                    for e in errors)
    return IntentReport(
        per_intent=per_intent,
        macro_f1=float(report["macro avg"]["f1-score"]),
        accuracy=float(report.get("accuracy", report.get("micro avg", {}).get("f1-score", 0))),
        confusions=[(t, p, n) for (t, p), n in pairs.most_common(10)],
        seconds=seconds,
        examples=int(sum(v.get("support", 0) for v in per_intent.values())),
    )


def cross_validation(tmp: Path, folds: int = 3) -> IntentReport:
    out = tmp / "cv"
    seconds = run_logged([str(BIN / "rasa"), "test", "nlu", "--nlu", str(ROOT / "data" / "nlu"),
                          "--config", str(ROOT / "config.yml"), "--cross-validation",
                          "--folds", str(folds), "--out", str(out)],
                         ROOT, tmp / "log" / "cross-validation.log")
    return read_intent_report(out, seconds)


def held_out(tmp: Path, fraction: float = 0.8) -> IntentReport:
    split, models, out = tmp / "split", tmp / "split-models", tmp / "split-results"
    rasa = str(BIN / "rasa")
    started = time.monotonic()
    run_logged([rasa, "data", "split", "nlu", "--nlu", str(ROOT / "data" / "nlu"),
                "--training-fraction", str(fraction), "--random-seed", "42", "--out", str(split)],
               ROOT, tmp / "log" / "split.log")
    train_file = next(split.glob("training_data.*"))
    test_file = next(split.glob("test_data.*"))
    run_logged([rasa, "train", "nlu", "--nlu", str(train_file),
                "--config", str(ROOT / "config.yml"), "--out", str(models),
                "--fixed-model-name", "held-out"], ROOT, tmp / "log" / "split-train.log",
               env={**rasa_env(), "RASA_CACHE_DIRECTORY": str(tmp / "cache-split")})
    run_logged([rasa, "test", "nlu", "--model", str(models / "held-out.tar.gz"),
                "--nlu", str(test_file), "--out", str(out)], ROOT, tmp / "log" / "split-test.log")
    return read_intent_report(out, time.monotonic() - started)


def unseen_phrasings(tmp: Path, model: Path) -> IntentReport:
    """The full model on tests/nlu_unseen.yml: phrasings written apart, never in training."""
    unseen = yaml.safe_load((ROOT / "tests" / "nlu_unseen.yml").read_text())
    nlu = {"version": "3.1", "nlu": [
        {"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)}
        for intent, texts in unseen.items()]}
    data, out = tmp / "unseen.yml", tmp / "unseen-results"
    data.write_text(yaml.safe_dump(nlu, allow_unicode=True, sort_keys=False))
    seconds = run_logged([str(BIN / "rasa"), "test", "nlu", "--model", str(model),
                          "--nlu", str(data), "--out", str(out)],
                         ROOT, tmp / "log" / "unseen-test.log")
    return read_intent_report(out, seconds)


@dataclass
class StoryReport:
    stories: int
    failed: int | None = None
    accuracy: float | None = None
    note: str = ""


def story_test(tmp: Path, model: Path) -> StoryReport:
    stories_dir = ROOT / "tests" / "stories"
    files = [p for p in stories_dir.rglob("*") if p.suffix in (".yml", ".yaml")] \
        if stories_dir.is_dir() else []
    count = sum(p.read_text().count("- story:") for p in files)
    if not count:
        return StoryReport(0, note="tests/stories has no test stories yet: not run")
    out = tmp / "core"
    run_logged([str(BIN / "rasa"), "test", "core", "--model", str(model),
                "--stories", str(stories_dir), "--out", str(out)],
               ROOT, tmp / "log" / "test-core.log")
    report = json.loads((out / "story_report.json").read_text())
    failed_file = out / "failed_test_stories.yml"
    failed = failed_file.read_text().count("- story:") if failed_file.exists() else 0
    return StoryReport(count, failed, float(report.get("accuracy", 0.0)))


# --- speed, load and memory --------------------------------------------------------------


@dataclass
class Served:
    name: str
    train_s: float = 0.0
    model_bytes: int = 0
    actions_ready_s: float | None = None
    ready_s: float = 0.0
    rest_rss: dict[str, int] = field(default_factory=dict)  # after a warm-up conversation
    warmup: LoadResult | None = None
    loads: dict[int, LoadResult] = field(default_factory=dict)
    peaks: dict[int, dict[str, int]] = field(default_factory=dict)  # users -> name -> RSS
    cpu_s: dict[int, dict[str, float]] = field(default_factory=dict)  # users -> name -> CPU s
    other_share: dict[int, float] = field(default_factory=dict)  # users -> other processes


def _groups(stack: Stack) -> dict[str, int]:
    groups = {"rasa": stack.rasa.pid} if stack.rasa else {}
    if stack.action_server:
        groups["actions"] = stack.action_server.pid
    return groups


def serve_and_load(served: Served, stack: Stack, plan_for: Callable[[int, int], Plan],
                   levels: dict[int, int], with_actions: bool,
                   after_load: Callable[[Stack], None] | None = None) -> None:
    """Start the stack, warm it up, run every load level, sample memory, then after_load
    (the stack still up); always stop it."""
    try:
        started = time.monotonic()
        if with_actions:
            stack.start_actions()
            served.actions_ready_s = time.monotonic() - started
        stack.start_rasa()
        served.ready_s = time.monotonic() - started
        log(f"{served.name}: ready in {served.ready_s:.1f} s")
        served.warmup = drive(stack.rest_url, 1, 1, plan_for, sender_prefix="warmup",
                              timeout=REQUEST_TIMEOUT_S, deadline_s=LEVEL_DEADLINE_S)
        log(f"{served.name}: warm-up {served.warmup.summary()}")
        time.sleep(1)
        served.rest_rss = {name: group_rss(pgid) for name, pgid in _groups(stack).items()}
        for users, conversations in levels.items():
            with PeakSampler(_groups(stack)) as sampler:
                result = drive(stack.rest_url, users, conversations, plan_for,
                               sender_prefix=f"bench{users}", timeout=REQUEST_TIMEOUT_S,
                               deadline_s=LEVEL_DEADLINE_S)
            served.loads[users] = result
            served.peaks[users] = dict(sampler.peaks)
            served.cpu_s[users] = dict(sampler.cpu_s)
            served.other_share[users] = sampler.other_share
            log(f"{served.name}: {result.summary()}; CPU s {sampler.cpu_s}; other processes "
                f"{100 * sampler.other_share:.0f}% of the machine")
            for problem in result.problems[:5]:
                log(f"  {problem}")
        if after_load is not None:
            after_load(stack)
    finally:
        stack.stop()


def train_ours(tmp: Path) -> tuple[Path, float]:
    """A forced, cold-cache `rasa train` of our assistant into tmp (models/ is untouched)."""
    out = tmp / "models"
    seconds = run_logged([str(BIN / "rasa"), "train", "--out", str(out),
                          "--fixed-model-name", "samenwerkingsscan-bench"],
                         ROOT, tmp / "log" / "train-ours.log",
                         env={**rasa_env(), "RASA_CACHE_DIRECTORY": str(tmp / "cache-ours")})
    return out / "samenwerkingsscan-bench.tar.gz", seconds


def init_stock(tmp: Path) -> tuple[Path, Path, float]:
    """`rasa init --no-prompt` (creates and trains the moodbot); returns dir, model, seconds."""
    project = tmp / "stock"
    project.mkdir()
    seconds = run_logged([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
                         tmp, tmp / "log" / "init-stock.log",
                         env={**rasa_env(), "RASA_CACHE_DIRECTORY": str(tmp / "cache-stock")})
    model = max((project / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return project, model, seconds


# --- the report --------------------------------------------------------------------------


@dataclass
class Bench:
    command: str
    quick: bool
    started: float = field(default_factory=time.monotonic)
    date: str = field(default_factory=lambda: datetime.now(timezone.utc)
                      .strftime("%Y-%m-%d %H:%M UTC"))
    machine: dict[str, str] = field(default_factory=machine)
    ours: Served = field(default_factory=lambda: Served("samenwerkingsscan"))
    stock: Served = field(default_factory=lambda: Served("stock rasa init"))
    cv: IntentReport | None = None
    split: IntentReport | None = None
    unseen: IntentReport | None = None
    stories: StoryReport | None = None
    answers: tuple[str, Summary] | None = None  # the answer reader on tests/eval
    page: PageFigures | None = None  # ours only: stock Rasa has no page
    report_timing: ReportTiming | None = None  # ours only
    failures: list[str] = field(default_factory=list)
    total_s: float = 0.0

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        log(f"{name} ...")
        started = time.monotonic()
        try:
            yield
        except Exception as error:  # reported; the other steps still run
            self.failures.append(f"{name}: {type(error).__name__}: {error}")
            log(f"{name} FAILED: {error}")
            traceback.print_exc()
        else:
            log(f"{name} done in {time.monotonic() - started:.0f} s")


def _mb(value: int) -> str:
    return f"{value / MB:.0f} MB"


def _ratio(ours: float, stock: float) -> float | None:
    return ours / stock if stock else None


def _pass(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def targets(bench: Bench) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    ours, stock = bench.ours, bench.stock
    for users in (10, 50):
        a, b = ours.loads.get(users), stock.loads.get(users)
        if a and b:
            ratio = _ratio(a.throughput, b.throughput)
            rows.append((f"throughput at {users} users >= 1.0x stock",
                         f"{ratio:.2f}x ({a.throughput:.1f} vs {b.throughput:.1f} msg/s)"
                         if ratio is not None else "n/a",
                         _pass(ratio >= TARGETS["throughput"] if ratio is not None else None)))
            ratio = _ratio(a.latency_ms(95), b.latency_ms(95))
            rows.append((f"p95 latency at {users} users <= 1.3x stock",
                         f"{ratio:.2f}x ({a.latency_ms(95):.0f} vs {b.latency_ms(95):.0f} ms)"
                         if ratio is not None else "n/a",
                         _pass(ratio <= TARGETS["p95"] if ratio is not None else None)))
    peak = max((p.get("rasa", 0) for p in ours.peaks.values()), default=0)
    if peak:
        rows.append(("Rasa server RSS (peak under load) <= 1.0 GB", _mb(peak),
                     _pass(peak <= TARGETS["rasa_rss"])))
    peak = max((p.get("actions", 0) for p in ours.peaks.values()), default=0)
    if peak:
        rows.append(("action server RSS (peak under load) <= 250 MB", _mb(peak),
                     _pass(peak <= TARGETS["actions_rss"])))
    if ours.ready_s:
        rows.append(("start to ready <= 30 s", f"{ours.ready_s:.1f} s",
                     _pass(ours.ready_s <= TARGETS["ready_s"])))
    if ours.train_s:
        rows.append(("training (cold cache) <= 3 min", f"{ours.train_s:.0f} s",
                     _pass(ours.train_s <= TARGETS["train_s"])))
    if bench.cv:
        rows.append(("macro intent F1 (3-fold cross-validation) >= 0.95",
                     f"{bench.cv.macro_f1:.3f}", _pass(bench.cv.macro_f1 >= TARGETS["macro_f1"])))
    loads = list(ours.loads.values())
    if loads:
        errors = sum(r.errors + r.off_script for r in loads)
        wrong = sum(r.wrong_scores for r in loads)
        rows.append(("errors and off-script replies under load = 0", str(errors),
                     _pass(errors == 0)))
        rows.append(("wrong scan scores under load = 0", str(wrong), _pass(wrong == 0)))
    if bench.answers:
        summary = bench.answers[1]
        rows.append(("typed answers written apart: right at once or after one question "
                     "back >= 97%", f"{summary.good:.1%}", _pass(summary.good >= 0.97)))
        rows.append(("typed answers written apart: noted two or more levels off = 0",
                     str(summary.off_two), _pass(summary.off_two == 0)))
        rows.append(("typed answers written apart: asked back <= 10%", f"{summary.asked:.1%}",
                     _pass(summary.asked <= 0.10)))
        rows.append(("'weet ik niet' forms noted as unknown = 100%",
                     f"{summary.unknown_noted:.0%}", _pass(summary.unknown_noted == 1.0)))
    page = bench.page
    if page is not None:
        gzipped = sum(f.gzip for f in page.files)
        rows.append(("page with the open widget and its greeting <= 150 KB compressed",
                     f"{page.total_kb:.1f} KB ({len(page.files)} responses, {gzipped} gzipped)",
                     _pass(page.total_kb <= TARGETS["page_kb"])))
        if page.greeting_ms:
            rows.append(("greeting within 300 ms of opening the widget (median, loopback)",
                         f"{page.greeting_median_ms:.0f} ms (max {page.greeting_max_ms:.0f} ms, "
                         f"{len(page.greeting_ms)} runs)",
                         _pass(page.greeting_median_ms <= TARGETS["greeting_ms"])))
        rows.append(("page requests to other hosts = 0", str(len(page.other_hosts)),
                     _pass(not page.other_hosts)))
    timing = bench.report_timing
    if timing is not None:
        rows.append(("a guessed report link: 404 medians (near miss, random, erased) within "
                     f"{TARGETS['report_spread_ms']:.1f} ms",
                     f"{timing.spread_ms:.3f} ms",
                     _pass(timing.spread_ms <= TARGETS["report_spread_ms"])))
    if bench.stories and bench.stories.accuracy is not None:
        rows.append(("test stories 100% (rasa test core)",
                     f"{100 * bench.stories.accuracy:.1f}%",
                     _pass(bench.stories.accuracy == 1.0 and not bench.stories.failed)))
    return rows


def _intent_table(report: IntentReport) -> list[str]:
    lines = ["| intent | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for name, v in sorted(report.per_intent.items(), key=lambda kv: kv[1].get("f1-score", 0)):
        lines.append(f"| {name} | {v.get('precision', 0):.3f} | {v.get('recall', 0):.3f} | "
                     f"{v.get('f1-score', 0):.3f} | {int(v.get('support', 0))} |")
    lines.append(f"| **macro average** | | | **{report.macro_f1:.3f}** | {report.examples} |")
    return lines


def _confusions(report: IntentReport) -> list[str]:
    if not report.confusions:
        return ["No confusions."]
    lines = ["| true intent | predicted | count |", "|---|---|---:|"]
    lines += [f"| {t} | {p} | {n} |" for t, p, n in report.confusions]
    return lines


def _load_rows(served: Served, scored: bool) -> list[str]:
    def wrong(r: LoadResult) -> str:
        return str(r.wrong_scores) if scored else "n/a"

    rows = []
    for users, r in served.loads.items():
        peak = served.peaks.get(users, {})
        memory = ", ".join(f"{k} {_mb(v)}" for k, v in peak.items())
        cpu = served.cpu_s.get(users, {})
        per_message = " / ".join(f"{1000 * cpu[k] / r.messages:.0f}" if k in cpu and r.messages
                                 else "-" for k in ("rasa", "actions", "driver"))
        other = f"{100 * served.other_share.get(users, 0):.0f}%"
        rows.append(f"| {served.name} | {users} | {r.conversations} | {r.messages} | "
                    f"{r.duration_s:.1f} s | {r.throughput:.1f} | {r.latency_ms(50):.0f} | "
                    f"{r.latency_ms(95):.0f} | {r.latency_ms(99):.0f} | {r.errors} | "
                    f"{r.off_script} | {wrong(r)}{' (truncated)' if r.truncated else ''} | "
                    f"{memory} | {per_message} | {other} |")
    return rows


def _report_timing_section(timing: ReportTiming | None) -> list[str]:
    out = ["## Report links: known, guessed, erased", ""]
    if timing is None:
        return out + ["Not run.", ""]
    out += ["`devtools/report_timing.py`, on our site after the page step: one report saved "
            "under a known token and one erased; requests interleaved in random order over "
            f"one keep-alive connection, {len(timing.ms['known'])} of each kind.", "",
            "| link | status | median | p90 |", "|---|---|---:|---:|"]
    for kind in KINDS:
        ms = sorted(timing.ms[kind])
        out.append(f"| {kind} | {', '.join(map(str, sorted(timing.statuses[kind])))} | "
                   f"{statistics.median(ms):.2f} ms | {ms[int(0.9 * (len(ms) - 1))]:.2f} ms |")
    return out + ["", f"The 404 medians differ by {timing.spread_ms:.3f} ms.", ""]


def _page_section(page: PageFigures | None) -> list[str]:
    out = ["## Page weight and first message", ""]
    if page is None:
        return out + ["Not run.", ""]
    out += ["`devtools/page_weight.py`, on our stack after its load levels (the site served "
            "on 127.0.0.1, Rasa's socket on its own port), Debian's Chromium headless as in "
            "tests/browser. Page weight: one fresh browser context loads the page, opens the "
            "widget with its launcher and waits for the greeting, then for 0.5 s without an "
            "open request; every HTTP response counts as transferred: response headers + "
            "body as on the wire (Playwright `request.sizes()`, from Chromium's "
            f"`encodedDataLength`; gzipped bodies compressed). KB = {KB} bytes. The "
            "Socket.IO handshake (HTTP polling) counts; the WebSocket frames after it are "
            f"not HTTP responses and are not in the total ({page.websocket_bytes} bytes of "
            "payload received). Greeting: in each of "
            f"{len(page.greeting_ms)} fresh contexts (empty localStorage: a new "
            "conversation) the page is loaded until the network is idle and the widget has "
            "its session, then measured inside the page (`performance.now()`) from the "
            "click on the launcher to the first bot message added to the log; the widget "
            "shows the first message of an empty log without its typing pause. Stock Rasa "
            "has no page.", ""]
    out += ["| file | type | status | on the wire | body on the wire | body decoded | gzip |",
            "|---|---|---:|---:|---:|---:|---|"]
    out += [f"| `{f.path}` | {f.kind} | {f.status} | {f.wire_bytes / KB:.1f} KB | "
            f"{f.body_bytes / KB:.1f} KB | {f.decoded_bytes / KB:.1f} KB | "
            f"{'yes' if f.gzip else 'no'} |" for f in page.files]
    out += [f"| **total** | | | **{page.total_kb:.1f} KB** | "
            f"{sum(f.body_bytes for f in page.files) / KB:.1f} KB | "
            f"{sum(max(f.decoded_bytes, 0) for f in page.files) / KB:.1f} KB | |", ""]
    out.append(f"Requests to other hosts: {len(page.other_hosts)}; failed or unfinished "
               f"requests: {len(page.failed)}.")
    out += [f"- `{url}`" for url in (*page.other_hosts, *page.failed)[:10]]
    if page.greeting_ms:
        runs = ", ".join(f"{ms:.0f}" for ms in page.greeting_ms)
        out += ["", f"Greeting after the click on the launcher: median "
                f"{page.greeting_median_ms:.0f} ms, max {page.greeting_max_ms:.0f} ms "
                f"(runs: {runs} ms)."]
    return out + [""]


def render(bench: Bench) -> str:
    ours, stock = bench.ours, bench.stock
    out = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`.venv/bin/python -m devtools.bench"
        f"{' --quick' if bench.quick else ''}`); this run: `{bench.command}`, "
        f"{bench.date}, {bench.total_s / 60:.1f} min in total. Rerun to refresh; do not edit "
        "by hand. Targets are informative: they are not part of `make test`.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    out += [f"| {k} | {v} |" for k, v in bench.machine.items()]
    out += ["", "## Targets (informative)", "", "| target | measured | |", "|---|---|---|"]
    out += [f"| {name} | {value} | {verdict} |" for name, value, verdict in targets(bench)]
    busy = max((share for s in (ours, stock) for share in s.other_share.values()), default=0.0)
    if busy > OTHER_LOAD_WARNING:
        out += ["", f"**Warning: other processes used up to {100 * busy:.0f}% of the machine's "
                "CPU during the load levels (column \"other processes\" below); speed, latency "
                "and training figures of this run are disturbed. Rerun `make bench` on a quiet "
                "machine for figures to compare.**"]
    if bench.failures:
        out += ["", "**Steps that failed in this run:**", ""]
        out += [f"- `{f.splitlines()[0]}`" for f in bench.failures]

    out += ["", "## Speed and load", "",
            "Complete conversations over the REST channel (`/webhooks/rest/webhook`, "
            "127.0.0.1), every conversation with its own sender id, all users at once, each "
            "user sending its next message as soon as the previous reply arrived. "
            f"Ours: a full samenwerkingsscan as a user types it ({MESSAGES_PER_SCAN} messages: "
            "`hallo`, `ik wil de scan doen`, three context answers in free text, 13 answers "
            "drawn per user from varied phrasings of each level, e.g. `grotendeels wel`, "
            "`nauwelijks`, `geen idee`); the last reply must show the `Totaalscore` that "
            "`mkbscan.scan.scoring.compute_result` gives for the drawn levels, and every reply the "
            "next question. Stock: the moodbot conversation `hello` / `I am sad` / `yes` / "
            f"`goodbye` repeated to the same {MESSAGES_PER_SCAN} messages, each reply checked. "
            "One warm-up conversation runs first and is not counted. Latencies are per "
            "message (request to full reply), percentiles by nearest rank. The load "
            "driver runs on the same 2 cores. Memory: peak resident memory (VmRSS summed "
            "over the process group) sampled every 0.25 s during the level. CPU ms/msg: user + "
            "system CPU time of the Rasa server, the action server and the load driver "
            "during the level, per message. Other processes: CPU time the rest of the machine "
            "used during the level, as a share of all cores; above a few percent the "
            "figures are disturbed by other work on the machine.",
            "",
            "| assistant | users | conversations | messages | time | msg/s | p50 ms | "
            "p95 ms | p99 ms | errors | off-script | wrong scores | peak RSS | "
            "CPU ms/msg rasa / actions / driver | other processes |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"]
    out += _load_rows(ours, scored=True) + _load_rows(stock, scored=False)
    ratio_rows = []
    for users, a in ours.loads.items():
        b = stock.loads.get(users)
        if b and b.throughput and b.latency_ms(95):
            ratio_rows.append(f"| {users} | {a.throughput / b.throughput:.2f}x | "
                              f"{a.latency_ms(95) / b.latency_ms(95):.2f}x |")
    if ratio_rows:
        out += ["", "Ours relative to stock:", "", "| users | throughput ratio | p95 ratio |",
                "|---:|---:|---:|"] + ratio_rows
    problems = [p for s in (ours, stock) for r in s.loads.values() for p in r.problems]
    if problems:
        out += ["", "First problems seen:", ""] + [f"- `{p}`" for p in problems[:10]]

    def cost(label: str, fn: Callable[[Served], str]) -> str:
        return f"| {label} | {fn(ours)} | {fn(stock)} |"

    def peak_of(s: Served, name: str) -> str:
        values = [p.get(name, 0) for p in s.peaks.values()]
        return _mb(max(values)) if values and max(values) else "-"

    top = max(ours.loads, default=None)
    out += ["", "## Cost", "",
            "| | samenwerkingsscan | stock `rasa init` |", "|---|---:|---:|",
            cost("training, cold cache (`rasa train`; stock: `rasa init --no-prompt`)",
                 lambda s: f"{s.train_s:.0f} s" if s.train_s else "-"),
            cost("model size", lambda s: _mb(s.model_bytes) if s.model_bytes else "-"),
            cost("action server start to ready",
                 lambda s: f"{s.actions_ready_s:.1f} s" if s.actions_ready_s else "none"),
            cost("start to ready (action server + Rasa server up)",
                 lambda s: f"{s.ready_s:.1f} s" if s.ready_s else "-"),
            cost("Rasa server RSS at rest (after warm-up)",
                 lambda s: _mb(s.rest_rss["rasa"]) if "rasa" in s.rest_rss else "-"),
            cost(f"Rasa server RSS peak (all levels, top {top} users)",
                 lambda s: peak_of(s, "rasa")),
            cost("action server RSS at rest",
                 lambda s: _mb(s.rest_rss["actions"]) if "actions" in s.rest_rss else "none"),
            cost("action server RSS peak", lambda s: peak_of(s, "actions")),
            "| page weight, open widget with its greeting (compressed) | "
            + (f"{bench.page.total_kb:.1f} KB" if bench.page else "-") + " | — |",
            "| greeting after opening the widget, median / max | "
            + (f"{bench.page.greeting_median_ms:.0f} / {bench.page.greeting_max_ms:.0f} ms"
               if bench.page and bench.page.greeting_ms else "-") + " | — |",
            "",
            "Stock uses Rasa's default pipeline and policies for `rasa init` (DIET, "
            "ResponseSelector, TED, UnexpecTED, Memoization, Rule) and the in-memory tracker "
            "store; ours uses the pipeline in config.yml, the SQLite tracker store (as `make "
            "run`) and an action call for most turns. Training times use an empty Rasa cache "
            "(`RASA_CACHE_DIRECTORY` in the temp dir)."]

    out += [""] + _page_section(bench.page) + _report_timing_section(bench.report_timing)
    out += ["## NLU (intent classification)", ""]
    for title, report, how in (
        ("3-fold cross-validation on data/nlu", bench.cv,
         "`rasa test nlu --nlu data/nlu --config config.yml --cross-validation --folds 3`"),
        ("Held-out split (80/20, seed 42)", bench.split,
         "`rasa data split nlu --training-fraction 0.8 --random-seed 42` into a temp dir, "
         "`rasa train nlu` on the training part, `rasa test nlu` on the test part"),
        ("Phrasings written apart (tests/nlu_unseen.yml)", bench.unseen,
         "`rasa test nlu` with the full model on the phrasings in tests/nlu_unseen.yml, "
         "written apart from the training data (a unit test refuses copies and near-copies)"),
    ):
        out += [f"### {title}", ""]
        if report is None:
            out += ["Not run" + (" (`--quick`)." if bench.quick and "cross" in title else "."),
                    ""]
            continue
        out += [f"{how}; {report.seconds:.0f} s. Accuracy {report.accuracy:.3f}, "
                f"macro F1 {report.macro_f1:.3f}. Predictions under the FallbackClassifier "
                "threshold count as `nlu_fallback`, i.e. as errors.", ""]
        out += _intent_table(report) + ["", "Top confusion pairs:", ""] + _confusions(report)
        out += [""]

    out += ["## Typed answers written apart (tests/eval)", ""]
    if bench.answers is None:
        out += ["Not run.", ""]
    else:
        out += ["`python -m devtools.answer_eval`: the answer reader "
                "(mkbscan/reading) on answers written by helpers who never saw the parser or "
                "its training data, in three sets; each was measured once before it was "
                "looked at, and those first figures are in docs/nlu.md.", "",
                bench.answers[0], ""]

    out += ["## Dialogue (`rasa test core --stories tests/stories`)", ""]
    stories = bench.stories
    if stories is None:
        out += ["Not run."]
    elif stories.accuracy is None:
        out += [stories.note + "."]
    else:
        out += [f"{stories.stories} stories, {stories.failed} failed; action accuracy "
                f"{100 * stories.accuracy:.1f}% (must stay 100%)."]
    return "\n".join(out) + "\n"


# --- main --------------------------------------------------------------------------------


def page_step(bench: Bench, stack: Stack) -> None:
    """The page weight and greeting time, on our stack after its load levels (a step of its
    own: a failure here leaves the load figures standing)."""
    with bench.step("page weight and greeting: ours"):
        stack.start_web()
        if stack.web is None:
            raise RuntimeError("the site is not served (web/node_modules missing: make setup)")
        bench.page = measure_page(f"http://127.0.0.1:{stack.web.port}/")
        log(bench.page.summary())
    with bench.step("report links: a guess answers as fast as any other 404"):
        if stack.web is None:
            raise RuntimeError("the site is not served")
        bench.report_timing = measure_report_timing(
            stack.web.port, stack.config.extra_env["LEADS_DATABASE_URL"])
        log(f"report 404 medians differ by {bench.report_timing.spread_ms:.3f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip cross-validation and the 50-user level")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="markdown report (default docs/benchmarks.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, models)")
    args = parser.parse_args(argv)
    levels = QUICK_LEVELS if args.quick else LEVELS
    bench = Bench(command="python -m devtools.bench" + (" --quick" if args.quick else ""),
                  quick=args.quick)
    tmp = Path(tempfile.mkdtemp(prefix="mkbscan-bench-"))
    log(f"work dir {tmp}; machine: {json.dumps(bench.machine)}")
    our_model: Path | None = None
    try:
        with bench.step("train ours (cold cache)"):
            our_model, bench.ours.train_s = train_ours(tmp)
            bench.ours.model_bytes = dir_or_file_size(our_model)
        stock_dir: Path | None = None
        with bench.step("rasa init --no-prompt (stock, trains the moodbot)"):
            stock_dir, stock_model, bench.stock.train_s = init_stock(tmp)
            bench.stock.model_bytes = dir_or_file_size(stock_model)
        if our_model is not None:
            with bench.step("rasa test core on tests/stories"):
                bench.stories = story_test(tmp, our_model)
            with bench.step("load: ours"):
                # With a site port (its origins for CORS and socketio), but the site itself is
                # only started after the load levels, for the page step; SITE_URL stays what
                # it is without a site, so the replies under load are the same.
                stack = isolated_stack(tmp / "stack-ours", web=True, extra_env={
                    "SITE_URL": os.environ.get("SITE_URL") or Settings().site_url})
                stack.model = our_model
                serve_and_load(bench.ours, stack, scan_plans(seed=42), levels,
                               with_actions=True, after_load=lambda s: page_step(bench, s))
        if stock_dir is not None:
            with bench.step("load: stock"):
                stack = Stack(StackConfig(
                    rasa_port=free_port(), action_port=free_port(),
                    endpoints=stock_dir / "endpoints.yml",
                    credentials=stock_dir / "credentials.yml",
                    log_dir=tmp / "stack-stock" / "log", cors=""))
                stack.model = stock_model
                serve_and_load(bench.stock, stack,
                               lambda _u, _i: moodbot_plan(MESSAGES_PER_SCAN), levels,
                               with_actions=False)
        if not args.quick:
            with bench.step("NLU 3-fold cross-validation"):
                bench.cv = cross_validation(tmp)
        with bench.step("NLU held-out split"):
            bench.split = held_out(tmp)
        if our_model is not None:
            with bench.step("NLU on phrasings written apart"):
                bench.unseen = unseen_phrasings(tmp, our_model)
        with bench.step("typed answers written apart"):
            bench.answers = answer_report()
    finally:
        bench.total_s = time.monotonic() - bench.started
        text = render(bench)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
        print("\n" + text, flush=True)
        log(f"wrote {args.output} ({bench.total_s / 60:.1f} min)")
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bench.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
