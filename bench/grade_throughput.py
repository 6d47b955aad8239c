"""How fast does ``qa-arena grade`` get through a class? 100 submissions x 10 mutants.

Generates, in a throw-away folder, a pack with 10 mutants and 100 students' test
files of varied quality (from killing every mutant to killing none, some failing
on the correct code, a few not even parsing), then runs the real command,
``qa-arena grade --pack PACK CLASS --out grades.csv --jobs N``, once per N against
the real Docker engine with a fresh data dir and report each time (nothing is
reused from an earlier run), and prints wall time and submissions per second.

    python bench/grade_throughput.py [--students 100] [--jobs 1 2] [--write-docs] [--keep]

``--write-docs`` writes the figures and the command into docs/benchmarks.md under
"## Batch grading throughput" (that section only; the rest of the file is kept).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "benchmarks.md"
HEADING = "## Batch grading throughput"

GOLDEN = '''def classify(n: int) -> str:
    """'negative', 'zero', 'small' (1-9), 'medium' (10-99) or 'large' (100 and up)."""
    if n < 0:
        return "negative"
    if n == 0:
        return "zero"
    if n < 10:
        return "small"
    if n < 100:
        return "medium"
    return "large"
'''
MUTATIONS = {  # name: (old, new), each applied once to the golden code
    "zero-is-negative": ("n < 0", "n <= 0"),
    "minus-one-boundary": ("n < 0", "n < -1"),
    "zero-check-off": ("n == 0", "n == 1"),
    "ten-is-small": ("n < 10", "n <= 10"),
    "nine-is-medium": ("n < 10", "n < 9"),
    "hundred-is-medium": ("n < 100", "n <= 100"),
    "ninety-nine-is-large": ("n < 100", "n < 99"),
    "negative-says-zero": ('return "negative"', 'return "zero"'),
    "small-capitalised": ('return "small"', 'return "Small"'),
    "large-says-medium": ('return "large"', 'return "medium"'),
}
EXPECTED = {-5: "negative", -1: "negative", 0: "zero", 1: "small", 9: "small", 10: "medium",
            50: "medium", 99: "medium", 100: "large", 1000: "large"}


def write_pack(root: Path) -> Path:
    pack = root / "bench-classify"
    (pack / "mutants").mkdir(parents=True)
    lines = ['slug = "bench-classify"', 'title = "Classify a number"', 'difficulty = "Easy"',
             'function_signature = "def classify(n: int) -> str"', "time_limit_s = 5"]
    for name, (old, new) in MUTATIONS.items():
        assert old in GOLDEN
        (pack / "mutants" / f"{name}.py").write_text(GOLDEN.replace(old, new, 1))
        lines += ["", "[[mutants]]", f'name = "{name}"', f'file = "mutants/{name}.py"',
                  "weight = 1.0", 'hint = "Check the boundaries."']
    (pack / "problem.toml").write_text("\n".join(lines) + "\n")
    (pack / "description.md").write_text("# Classify a number\n")
    (pack / "golden.py").write_text(GOLDEN)
    (pack / "reference_tests.py").write_text(student_tests(list(EXPECTED)))
    return pack


def student_tests(values: list[int], wrong: int | None = None) -> str:
    body = ["from target import classify", ""]
    for value in values:
        expected = "small" if value == wrong else EXPECTED[value]
        name = f"test_{'minus_' if value < 0 else ''}{abs(value)}"
        body += ["", f"def {name}():", f"    assert classify({value}) == {expected!r}", ""]
    return "\n".join(body)


def write_class(root: Path, students: int) -> Path:
    """Varied quality: random subsets of the checks; 1 in 10 wrong on golden, 1 in 33 broken."""
    folder = root / "class"
    folder.mkdir()
    rng = random.Random(8)
    for i in range(students):
        values = rng.sample(list(EXPECTED), rng.randint(1, len(EXPECTED)))
        if i % 33 == 32:
            text = "def test_broken(:\n    pass\n"
        elif i % 10 == 9:
            text = student_tests(values, wrong=values[0] if values[0] not in (1, 9) else None)
        else:
            text = student_tests(values)
        (folder / f"student{i:03}_test.py").write_text(text)
    return folder


def run(pack: Path, folder: Path, out: Path, jobs: int) -> tuple[float, Counter[str]]:
    env = {**os.environ, "QA_ARENA_HOME": str(out.parent / f"home-jobs{jobs}")}
    command = [sys.executable, "-m", "qa_arena_desktop", "grade", "--pack", str(pack), str(folder),
               "--out", str(out), "--jobs", str(jobs)]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"grade failed ({completed.returncode}):\n{completed.stderr}")
    with out.open(newline="") as handle:
        statuses = Counter(row["status"] for row in csv.DictReader(handle))
    return elapsed, statuses


def engine_description() -> str:
    try:
        import docker

        client = docker.from_env()
        info = client.info()
        client.close()
        return (f"Docker {info.get('ServerVersion')} (cgroup v{info.get('CgroupVersion')}), "
                f"{info.get('NCPU')} CPUs, {int(info.get('MemTotal', 0)) // 2**30} GiB")
    except Exception as exc:  # noqa: BLE001 - a description only
        return f"engine not described ({type(exc).__name__})"


def write_docs(section: str) -> None:
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text.rstrip("\n") + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="qa-arena-bench-grade-"))
    try:
        return measure(args, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def measure(args: argparse.Namespace, root: Path) -> int:
    pack = write_pack(root)
    folder = write_class(root, args.students)
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs visible; {engine_description()}"
    print(f"{args.students} submissions x {len(MUTATIONS)} mutants in {root}\n{machine}")
    results = []
    for jobs in args.jobs:
        elapsed, statuses = run(pack, folder, root / f"grades-jobs{jobs}.csv", jobs)
        rate = args.students / elapsed
        mix = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        print(f"--jobs {jobs}: {elapsed:6.1f} s wall, {rate:5.2f} submissions/s ({mix})")
        results.append((jobs, elapsed, rate, mix))

    if args.write_docs:
        rows = "\n".join(f"| {jobs} | {elapsed:.1f} s | {rate:.2f} | {mix} |"
                         for jobs, elapsed, rate, mix in results)
        base = results[0][1]
        speedups = ", ".join(f"--jobs {jobs}: x{base / elapsed:.2f}" for jobs, elapsed, _, _ in results[1:])
        section = (
            f"{HEADING}\n\n"
            f"{args.students} generated submissions x {len(MUTATIONS)} mutants (a `classify(n)` pack "
            "with boundary and string mutants; students kill anything from none to all of them, "
            "1 in 10 fails on the correct code, 1 in 33 does not parse), graded end to end by the "
            "real command against the real Docker engine, from a fresh data dir and report each "
            "time (nothing reused).\n\n"
            "Command (prints the figures; `--write-docs` writes this section):\n\n"
            f"    python bench/grade_throughput.py --students {args.students} "
            f"--jobs {' '.join(map(str, args.jobs))} --write-docs\n\n"
            "which runs, per N:\n\n"
            "    qa-arena grade --pack bench-classify class/ --out grades.csv --jobs N\n\n"
            f"Machine: {machine}.\n\n"
            "| --jobs | wall time | submissions/s | verdicts |\n|---|---|---|---|\n"
            f"{rows}\n\n"
            + (f"Speed-up over --jobs {results[0][0]}: {speedups}.\n\n" if speedups else "")
            + "With `--jobs 1` each submission's variants are split over the judge backend's "
            "containers (its shards, one per core); with `--jobs N` each submission gets "
            "`cores / N` of them and N submissions run at once, which saves container starts. "
            "Expect a few seconds of spread between runs on a machine doing other work.\n"
        )
        write_docs(section)
        print(f"wrote {HEADING!r} in {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
