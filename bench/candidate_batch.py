#!/usr/bin/env python3
"""Candidate batch: how long "Generate candidates" takes to judge every candidate of a golden.

All candidates of a bundled pack's golden (default ``glob-match``: 177 candidates) judged
against its reference tests on the real engine, through the product's path
(``authoring.checking.check_candidates``, what the studio and ``qa-arena mutants
generate --tests`` call): golden alone, then every candidate in one sharded request with
golden's CPU time and the candidates' tight CPU-time budget. ``--baseline`` also times
the design it replaced, in the same run: golden and every candidate in one request with
a learner's budget (an endless loop could run to the full time limit).

Prints wall seconds per run (median), the verdict counts, how many were killed only by
a limit, where the CPU time went (the judge's ``cpu_ms`` per run: golden, the runs
stopped by a limit, the others), and the load average before and after (the machine may
be shared). No assertion.
Usage: python bench/candidate_batch.py [--pack glob-match] [--repeat 3] [--baseline]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa_arena_desktop.authoring.checking import (  # noqa: E402
    candidate_name,
    check_candidates,
    verdict_for,
)
from qa_arena_desktop.authoring.mutation import generate_candidates  # noqa: E402
from qa_arena_desktop.domain.judge_models import JudgeRequest, Limits, VariantRun  # noqa: E402
from qa_arena_desktop.domain.pack import MutantSource  # noqa: E402
from qa_arena_desktop.judging.docker_backend import DockerBackend  # noqa: E402
from qa_arena_desktop.packs.loader import load_pack  # noqa: E402


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _cpu_split(runs: list[VariantRun]) -> str:
    """Where the CPU time of the judge's runs went."""
    golden = [run.cpu_ms for run in runs if run.is_golden]
    limited = [run.cpu_ms for run in runs if not run.is_golden
               and run.outcome.value in ("timeout", "memory")]
    others = [run.cpu_ms for run in runs if not run.is_golden
              and run.outcome.value not in ("timeout", "memory")]
    median = statistics.median(others) if others else 0
    return (f"CPU: golden {sum(golden)} ms; {len(limited)} stopped by a limit "
            f"{sum(limited) / 1000:.2f} s; {len(others)} others {sum(others) / 1000:.2f} s "
            f"(median {median:g} ms)")


def product(golden: str, tests: str, limit: float) -> tuple[float, Counter[str | None], int, str]:
    candidates = generate_candidates(golden)
    backend = DockerBackend(keep_warm=True)  # as the CLI and the studio make it
    runs: list[VariantRun] = []
    run = backend.run

    def recorded(request: JudgeRequest, on_variant: Callable[[VariantRun], None],
                 *args: Any, **kwargs: Any) -> None:
        def keep(variant: VariantRun) -> None:
            runs.append(variant)
            on_variant(variant)
        run(request, keep, *args, **kwargs)

    backend.run = recorded  # type: ignore[method-assign]
    try:
        started = time.monotonic()
        check = check_candidates(golden, tests, candidates, backend, threading.Event(), limit)
        elapsed = time.monotonic() - started
    finally:
        backend.close()
    return elapsed, Counter(check.verdicts), sum(check.limit_hit), _cpu_split(runs)


def baseline(golden: str, tests: str, limit: float) -> tuple[float, Counter[str | None], int, str]:
    """The replaced design: one request, golden among the candidates, a learner's budget."""
    candidates = generate_candidates(golden)
    mutants = tuple(MutantSource(name=candidate_name(i), source=c.source, weight=1.0)
                    for i, c in enumerate(candidates))
    request = JudgeRequest(submission_id="bench", problem="bench", tests=tests,
                           golden_source=golden, mutants=mutants,
                           limits=Limits(time_limit_s=limit))
    runs: dict[str, VariantRun] = {}
    backend = DockerBackend()
    try:
        started = time.monotonic()
        backend.run(request, lambda run: runs.__setitem__(run.variant, run), threading.Event())
        elapsed = time.monotonic() - started
    finally:
        backend.close()
    verdicts = Counter(verdict_for(runs.get(m.name)) for m in mutants)
    limits = sum(1 for m in mutants if m.name in runs
                 and runs[m.name].outcome.value in ("timeout", "memory"))
    return elapsed, verdicts, limits, _cpu_split(list(runs.values()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default="glob-match")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()
    pack = load_pack(REPO / "problems" / args.pack)
    count = len(generate_candidates(pack.golden_source))
    print(f"{args.pack}: {count} candidates, time limit {pack.time_limit_s:g} s, "
          f"{os.cpu_count()} cores, {_load()}", flush=True)
    designs = [("product: golden, then one sharded batch", product)]
    if args.baseline:
        designs.append(("baseline: one request, learner's budget", baseline))
    for name, design in designs:
        times = []
        for _ in range(args.repeat):
            elapsed, verdicts, limits, cpu = design(pack.golden_source, pack.reference_tests,
                                                    pack.time_limit_s)
            times.append(elapsed)
            print(f"  {name}: {elapsed:.2f} s  KILLED {verdicts['KILLED']}, SURVIVED "
                  f"{verdicts['SURVIVED']}, no verdict {verdicts[None]}; {limits} by a limit; "
                  f"{_load()}\n    {cpu}", flush=True)
        print(f"{name}: median {statistics.median(times):.2f} s over {len(times)} run(s)",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
