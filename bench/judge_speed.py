#!/usr/bin/env python3
"""Judge speed: the product's judge against the naive design, on the same submission, in one run.

Designs measured (golden + N mutants of a small module, the pack's reference tests):

* naive, sequential: one fresh container per variant, one after another (the original
  spec's design; implemented here for comparison only, with the product's image,
  hardening and runner so that only the scheduling differs);
* naive, 2 at a time: the same, two containers at once;
* product, strict: ``DockerBackend(isolation="strict")``;
* product, in-process: ``JudgingService.judge`` with a fresh backend (what a batch pays per
  submission) and with a kept-warm backend (the GUI and the judge server);
* product, CLI end to end, from the call to its JSON on stdout:
  ``qa-arena judge --json`` through the judge server (warm: the usual case; first call:
  the server starts too) and ``--no-server`` (everything in the fresh process).

Also the cost of the per-run isolation: one variant's run as the runner times it, now and
in the old runner's shape (a plain fork, no namespaces, no audit hooks); and the
per-mutant slope over 5, 10, 20 and 40 mutants (CLI through the server, and the
in-process judge with a fresh backend). Prints medians; no assertion.
Usage: python bench/judge_speed.py [--repeat 5] [--parts designs,isolation,slope]

``--parts`` runs some of the three parts only: to compare against an older tree on a
shared machine, run the same part from each tree in turn, each with its own image
(docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa_arena_desktop.catalog.db import Catalog  # noqa: E402
from qa_arena_desktop.domain.judge_models import Limits  # noqa: E402
from qa_arena_desktop.domain.pack import Pack  # noqa: E402
from qa_arena_desktop.judging import engine  # noqa: E402
from qa_arena_desktop.judging.container_run import JudgeContainer  # noqa: E402
from qa_arena_desktop.judging.docker_backend import DockerBackend  # noqa: E402
from qa_arena_desktop.judging.service import JudgingService  # noqa: E402
from qa_arena_desktop.packs.loader import load_pack  # noqa: E402

SOURCE = REPO / "problems" / "normalize-whitespace"
MUTANT_SHAPES = [
    "    return ' '.join(text.split(' ')){suffix}\n",
    "    return ' '.join(text.split()){suffix} + ' ' * {n}\n",
    "    return ' '.join(text.strip().split()[{n}:])\n",
    "    return text.strip(){suffix}\n",
    "    return ' '.join(text.split()[:{n}])\n",
]


def make_pack(root: Path, mutants: int) -> Path:
    """normalize-whitespace's golden and reference tests with ``mutants`` distinct mutants."""
    pack = root / f"speed-{mutants}"
    (pack / "mutants").mkdir(parents=True)
    for name in ("description.md", "golden.py", "reference_tests.py"):
        (pack / name).write_text((SOURCE / name).read_text())
    lines = ['slug = "speed"', 'title = "Speed"', 'difficulty = "Easy"',
             'function_signature = "def normalize_whitespace(text: str) -> str"']
    for index in range(mutants):
        shape = MUTANT_SHAPES[index % len(MUTANT_SHAPES)]
        body = shape.format(n=index // len(MUTANT_SHAPES) + 1,
                            suffix=f"[:{1000 + index}]" if "{suffix}" in shape else "")
        (pack / "mutants" / f"m{index}.py").write_text(
            "def normalize_whitespace(text: str) -> str:\n" + body)
        lines += ["[[mutants]]", f'name = "m{index}"', f'file = "mutants/m{index}.py"',
                  "weight = 1.0", 'hint = "-"']
    (pack / "problem.toml").write_text("\n".join(lines) + "\n")
    return pack


def naive(pack: Pack, at_once: int) -> None:
    """One fresh container per variant (for comparison only)."""
    variants = [{"key": "v0", "source": pack.golden_source, "golden": True}] + [
        {"key": f"v{i}", "source": m.source} for i, m in enumerate(pack.mutants, start=1)]
    client = engine.connect()
    never = threading.Event()

    def one(variant: dict) -> None:
        container = JudgeContainer.start(client, Limits())
        try:
            container.send({"tests": pack.reference_tests, "variants": [variant],
                            "time_limit_s": 5.0})
            for _event in container.events(never, never, lambda _l: None, 35):
                pass
        finally:
            container.close_stream()
            container.remove()

    with ThreadPoolExecutor(max_workers=at_once) as pool:
        list(pool.map(one, variants))
    client.close()


def run_times(pack: Pack, old_shape: bool) -> tuple[list[int], list[float]]:
    """Each variant's run as the runner timed it (``duration_ms``: files in, pytest, result
    out), and the CPU time its whole container spent on it (ms, from the engine's counter
    read when the runner is ready and when it is done: wall time on a shared machine
    mostly measures the neighbours; CPU time hardly moves with them).

    One container per variant either way, so both shapes pay the same first-run costs:
    the product (a fork of the zygote into fresh namespaces, tmpfs, capabilities dropped,
    the second seccomp filter, audit hooks) or the old runner's shape (a plain fork of the
    warm zygote: no namespaces, no audit hooks; ``QA_JUDGE_NO_NAMESPACES=1`` and
    ``QA_JUDGE_NO_AUDIT=1``, which only whoever starts the container can set).
    """
    variants = [{"key": "v0", "source": pack.golden_source, "golden": True}] + [
        {"key": f"v{i}", "source": m.source} for i, m in enumerate(pack.mutants, start=1)]
    environment = {"QA_JUDGE_NO_NAMESPACES": "1", "QA_JUDGE_NO_AUDIT": "1"} if old_shape else {}
    client = engine.connect()
    never = threading.Event()
    times: list[int] = []
    cpu: list[float] = []

    def cpu_ns(container_id: str) -> int:
        stats = client.api.stats(container_id, stream=False)
        return int(stats["cpu_stats"]["cpu_usage"]["total_usage"])

    for variant in variants:
        container = JudgeContainer.start(client, Limits(), environment)
        try:
            events = container.events(never, never, lambda _l: None, 35)
            for event in events:  # the runner is warm: its start is not the run's cost
                if event.get("event") == "ready":
                    break
            before = cpu_ns(container.id)
            container.send({"tests": pack.reference_tests, "variants": [variant],
                            "time_limit_s": 5.0})
            for event in events:
                if event.get("event") == "variant":
                    times.append(int(event["duration_ms"]))
            cpu.append((cpu_ns(container.id) - before) / 1e6)
        finally:
            container.close_stream()
            container.remove()
    client.close()
    return times, cpu


def in_process(pack: Pack, home: Path, backend: DockerBackend) -> None:
    catalog = Catalog(home / "bench.sqlite3")
    try:
        result = JudgingService(catalog, backend).judge(pack, pack.reference_tests)
        assert result.status.value == "SUCCESS", result.message
    finally:
        catalog.close()


def cli(pack_dir: Path, home: Path, *options: str) -> None:
    env = {**os.environ, "QA_ARENA_HOME": str(home)}
    env.pop("QA_ARENA_JUDGE_SERVER", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "qa_arena_desktop", "judge", "--pack", str(pack_dir), "--tests",
         str(pack_dir / "reference_tests.py"), "--json", *options],
        stdout=subprocess.PIPE, env=env, text=True)
    assert process.stdout is not None
    text = ""
    for line in process.stdout:  # the JSON is complete when it parses: stop the clock there
        text += line
        if line.startswith("}"):
            break
    result = json.loads(text)
    assert result["status"] == "SUCCESS", result
    process.wait()


def stop_server(home: Path) -> None:
    env = {**os.environ, "QA_ARENA_HOME": str(home)}
    env.pop("QA_ARENA_JUDGE_SERVER", None)
    subprocess.run([sys.executable, "-m", "qa_arena_desktop", "server", "stop"], env=env,
                   stdout=subprocess.DEVNULL, check=True)


def first_call(pack_dir: Path, home: Path, repeat: int) -> float:
    """Median of calls that each start the judge server (stopped before each, off the clock)."""
    times = []
    for _ in range(repeat):
        stop_server(home)
        started = time.perf_counter()
        cli(pack_dir, home)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed(action: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


PARTS = ("designs", "isolation", "slope")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--parts", default=",".join(PARTS),
                        help="comma-separated, of: " + ", ".join(PARTS))
    args = parser.parse_args()
    parts = {part.strip() for part in args.parts.split(",") if part.strip()}
    if not parts or not parts <= set(PARTS):
        parser.error(f"--parts: choose among {', '.join(PARTS)}")
    root = Path(tempfile.mkdtemp(prefix="qa-arena-bench-"))
    home = root / "home"
    home.mkdir()
    os.environ["QA_ARENA_HOME"] = str(home)
    pack_dir = make_pack(root, 10)
    pack = load_pack(pack_dir)
    in_process(pack, home, DockerBackend())  # limits probe cached, caches warm

    if "designs" in parts:
        rows: list[tuple[str, float]] = []
        rows.append(("naive: container per variant, sequential", timed(lambda: naive(pack, 1),
                                                                         args.repeat)))
        rows.append(("naive: container per variant, 2 at a time", timed(lambda: naive(pack, 2),
                                                                           args.repeat)))
        rows.append(("product, strict isolation (in-process)",
                     timed(lambda: in_process(pack, home, DockerBackend(isolation="strict")),
                           args.repeat)))
        rows.append(("product, fast (in-process, cold backend)",
                     timed(lambda: in_process(pack, home, DockerBackend()), args.repeat)))
        warm_backend = DockerBackend(keep_warm=True)
        warm_backend.prepare()
        in_process(pack, home, warm_backend)  # the first run also waits for the containers
        rows.append(("product, fast, kept warm (GUI, judge server)",
                     timed(lambda: in_process(pack, home, warm_backend), args.repeat)))
        warm_backend.close()
        rows.append(("CLI --no-server: all in a fresh process",
                     timed(lambda: cli(pack_dir, home, "--no-server"), args.repeat)))
        rows.append(("CLI first call: starts the judge server",
                     first_call(pack_dir, home, args.repeat)))
        cli(pack_dir, home)  # the server is up
        rows.append(("CLI: qa-arena judge --json (judge server up)",
                     timed(lambda: cli(pack_dir, home), args.repeat)))

        naive_seq = rows[0][1]
        print(f"golden + 10 mutants, median of {args.repeat} runs, {os.cpu_count()} cores")
        print(f"{'design':<50} {'wall':>8} {'vs naive':>9}")
        for name, seconds in rows:
            print(f"{name:<50} {seconds:7.2f}s {naive_seq / seconds:8.1f}x")

    if "isolation" in parts:
        print("\none variant's run inside the container, one container per variant (median and "
              f"range of {args.repeat} x 11 runs, as the runner timed them)")
        samples: dict[bool, list[int]] = {True: [], False: []}
        cpu: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.repeat):  # the two shapes alternate, so drift hits both alike
            for old_shape in (True, False):
                times, spent = run_times(pack, old_shape)
                samples[old_shape] += times
                cpu[old_shape] += spent
        for old_shape, label in ((True, "old runner: plain fork, no namespaces, no hooks"),
                                 (False, "now: fresh namespaces, tmpfs, seccomp, hooks")):
            values, spent = samples[old_shape], cpu[old_shape]
            print(f"  {label:<48} {statistics.median(values):5.0f} ms  "
                  f"({min(values)}-{max(values)} ms); container CPU "
                  f"{statistics.median(spent):5.1f} ms ({min(spent):.1f}-{max(spent):.1f})")
        cost = statistics.median(samples[False]) - statistics.median(samples[True])
        cpu_cost = statistics.median(cpu[False]) - statistics.median(cpu[True])
        print(f"  cost of the isolation per run: {cost:+.0f} ms wall, {cpu_cost:+.1f} ms CPU")

    def slope(label: str, run: Callable[[int], None]) -> None:
        print(f"\nper-mutant slope: {label}")
        points = []
        for count in (5, 10, 20, 40):
            run(count)  # one unmeasured run first
            seconds = timed(lambda count=count: run(count), args.repeat)
            points.append((count, seconds))
            print(f"  {count:>3} mutants: {seconds:6.2f}s")
        xs, ys = zip(*points, strict=True)
        mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
        fitted = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum(
            (x - mean_x) ** 2 for x in xs)
        print(f"  slope: {fitted * 1000:.1f} ms per extra mutant (least squares)")

    if "slope" in parts:
        sizes = {count: make_pack(root, count) for count in (5, 20, 40)} | {10: pack_dir}
        packs = {count: load_pack(folder) for count, folder in sizes.items()}
        slope("CLI end to end, judge server up", lambda count: cli(sizes[count], home))
        stop_server(home)
        slope("in-process, fresh backend per submission",
              lambda count: in_process(packs[count], home, DockerBackend()))
    stop_server(home)  # the designs' server, when the slope did not run
    return 0


if __name__ == "__main__":
    sys.exit(main())
