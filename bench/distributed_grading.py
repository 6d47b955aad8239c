"""What does grading through the broker cost, and what do workers add? Prints the figures.

On this machine, against the real Docker engine and a private ``redis-server`` on a
loopback port (Debian's package; started and stopped here):

1. **per-file overhead of the broker path**: classes whose files all fail the
   host-side precheck (no container starts, so judging costs next to nothing), of two
   sizes, graded locally (``--jobs 2``) and through the broker by one worker
   (``--concurrency 2``); each path's cost per file is the slope between the sizes,
   and their difference is what the broker path adds (enqueue, a worker's poll, the
   result's round trip and checks);
2. **throughput**: the ``bench/grade_throughput.py`` class (``classify(n)``, 10 mutants)
   graded locally with ``--jobs 2``, then through the broker by 1 worker and by 2
   workers, each ``--concurrency 1`` and ``--concurrency 2``.

Workers are started (and answer) before the clock starts: the figures are steady-state
grading, not process start-up. Each run has a fresh data dir and report.

    python bench/distributed_grading.py [--students 40] [--overhead-sizes 40 240]
                                        [--no-throughput] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from grade_throughput import MUTATIONS, engine_description, write_class, write_pack  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=15)


@contextlib.contextmanager
def workers(url: str, root: Path, count: int, concurrency: int) -> Iterator[None]:
    processes = []
    for i in range(count):
        env = {**os.environ, "QA_ARENA_HOME": str(root / f"worker-home-{i}")}
        log = (root / f"worker-{count}x{concurrency}-{i}.log").open("wb")
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "qa_arena_desktop", "worker", "--broker", url,
             "--concurrency", str(concurrency)], stdout=log, stderr=subprocess.STDOUT, env=env,
            cwd=REPO))
    try:
        wait_for_workers(url, count)
        yield
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=120)


def wait_for_workers(url: str, count: int) -> None:
    from qa_arena_desktop.classroom.broker import make_app

    app = make_app(url)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0) or []) >= count:
            return
    sys.exit(f"{count} worker(s) did not answer within 120 s")


def grade(pack: Path, folder: Path, out: Path, *extra: str) -> tuple[float, Counter[str]]:
    env = {**os.environ, "QA_ARENA_HOME": str(out.parent / f"home-{out.stem}")}
    command = [sys.executable, "-m", "qa_arena_desktop", "grade", "--pack", str(pack), str(folder),
               "--out", str(out), *extra]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"grade failed ({completed.returncode}):\n{completed.stderr}")
    with out.open(newline="") as handle:
        return elapsed, Counter(row["status"] for row in csv.DictReader(handle))


def broken_class(root: Path, size: int) -> Path:
    """Files that fail the host-side precheck: graded without starting a container."""
    folder = root / f"broken-{size}"
    folder.mkdir()
    for i in range(size):
        (folder / f"student{i:03}_test.py").write_text(f"def test_{i}(:\n    pass\n")
    return folder


def overhead(url: str, pack: Path, root: Path, sizes: tuple[int, int]) -> None:
    """Per-file cost of each path as the slope between two class sizes (fixed costs such as
    start-up, the engine check or the workers' ping cancel out)."""
    small, large = (broken_class(root, n) for n in sizes)
    local = [grade(pack, folder, root / f"local-{folder.name}.csv", "--jobs", "2")[0]
             for folder in (small, large)]
    with workers(url, root, 1, 2):
        broker = [grade(pack, folder, root / f"broker-{folder.name}.csv", "--broker", url)[0]
                  for folder in (small, large)]
    span = sizes[1] - sizes[0]
    local_ms, broker_ms = ((b - a) / span * 1000 for a, b in (local, broker))
    print(f"precheck-only classes of {sizes[0]} and {sizes[1]} files: local --jobs 2 "
          f"{local[0]:.1f} s / {local[1]:.1f} s, broker (1 worker x 2) {broker[0]:.1f} s / "
          f"{broker[1]:.1f} s")
    print(f"per file: local {local_ms:.1f} ms, broker {broker_ms:.1f} ms: the broker path adds "
          f"{broker_ms - local_ms:+.1f} ms per file")


def measure(students: int, root: Path, sizes: tuple[int, int], throughput: bool) -> None:
    pack = write_pack(root)
    folder = write_class(root, students)
    print(f"{students} submissions x {len(MUTATIONS)} mutants; {os.cpu_count()} CPUs visible; "
          f"{engine_description()}")
    with redis_server(root) as url:
        overhead(url, pack, root, sizes)
        if not throughput:
            return
        local, statuses = grade(pack, folder, root / "local.csv", "--jobs", "2")
        mix = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        print(f"local grade --jobs 2: {local:.1f} s, {students / local:.2f} files/s ({mix})")
        for count, concurrency in ((1, 1), (1, 2), (2, 1), (2, 2)):
            with workers(url, root, count, concurrency):
                elapsed, _ = grade(pack, folder, root / f"broker-{count}x{concurrency}.csv",
                                   "--broker", url)
            print(f"broker, {count} worker(s) x --concurrency {concurrency}: {elapsed:.1f} s, "
                  f"{students / elapsed:.2f} files/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--overhead-sizes", type=int, nargs=2, default=[40, 240], metavar="N")
    parser.add_argument("--no-throughput", action="store_true", help="measure the overhead only")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and logs")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        sys.exit("needs redis-server (Debian: apt-get install redis-server)")
    root = Path(tempfile.mkdtemp(prefix="qa-arena-bench-distributed-"))
    try:
        measure(args.students, root, tuple(args.overhead_sizes), not args.no_throughput)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
