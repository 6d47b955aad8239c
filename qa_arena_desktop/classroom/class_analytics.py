"""Class analytics: what a whole class's results say about the problem and the teaching.

Written by every ``qa-arena grade`` as ``<report>-class-report.json`` (this module: plain data) and
``<report>-class-report.html`` (:mod:`.class_report_html`). Instructor-facing, so bugs go by
their real names. What it answers:

* **kill rate per bug**: of the students whose tests passed on the correct code, how many
  caught each bug; the bugs almost nobody catches are what the next lesson is about;
* **failed on the correct code**: the share of students whose tests expect something the
  correct code does not do, grouped by the failing assertion (normalised: first line,
  whitespace runs, memory addresses), most common first. A big group is a shared
  misreading of the spec: the Author studio opens these groups as suggestions for new
  misconception mutants (File > Open class report...);
* **score distribution**: ten bins of ten points;
* **flagged files**: files a human should look at (see docs/judge.md, "Flags").

The JSON is read back by the studio (:func:`load_class_report`), so it carries a
``kind`` and a ``version`` and is checked on the way in.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa_arena_desktop import __version__
from qa_arena_desktop.classroom.feedback import GOLDEN_REASONS
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.judging import flags as flag_meanings
from qa_arena_desktop.text_safety import one_line

KIND = "qa-arena-class-report"
VERSION = 1
BINS = 10
MAX_GROUP_TEXT = 300
MAX_EXAMPLES = 3
MAX_REPORT_BYTES = 32 * 1024 * 1024  # what the studio reads at most

_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{4,}\b")
_PREFIX = re.compile(r"^(?:E\s+)?(?:AssertionError:\s*)?")


def normalise(message: str) -> str:
    """The grouping key of a failing assertion: its first line, prefixes and memory
    addresses dropped, whitespace runs made one space, control characters escaped."""
    first = next((line for line in message.splitlines() if line.strip()), "")
    first = _PREFIX.sub("", first.strip())
    first = _ADDRESS.sub("0x…", first)
    return one_line(first, MAX_GROUP_TEXT) or "(no message)"


def _golden_failures(row: GradeRow) -> list[tuple[str, str, str]]:
    """(kind, test id, message) for each known failure of ``row``'s tests on golden."""
    if row.dropped:
        return [("assertion", test, message) for test, message in row.dropped]
    golden = row.result.golden if row.result is not None else None
    if row.status != "FAILURE" or golden is None or golden.outcome == "passed":
        return []
    if golden.outcome == "failed":
        first = golden.failed_tests[0] if golden.failed_tests else ""
        return [("assertion", first, golden.message)]
    return [(golden.outcome, "", GOLDEN_REASONS.get(golden.outcome, golden.outcome))]


def _bug_rates(pack: Pack, rows: Sequence[GradeRow]) -> list[dict[str, Any]]:
    judged = [r.result for r in rows if r.status == "SUCCESS" and r.result is not None]
    bugs: list[dict[str, Any]] = []
    for mutant in pack.scored_mutants:
        killed = sum(1 for result in judged for m in result.mutants
                     if m.name == mutant.name and m.status.counts_as_killed)
        bugs.append({"name": mutant.name, "weight": mutant.weight, "hint": mutant.hint,
                     "killed": killed, "judged": len(judged),
                     "kill_rate": round(killed / len(judged), 4) if judged else None})
    return bugs


def _groups(rows: Sequence[GradeRow]) -> tuple[int, list[dict[str, Any]]]:
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    students = 0
    for row in rows:
        failures = _golden_failures(row)
        if failures:
            students += 1
        for kind, test, message in failures:
            key = (kind, normalise(message) if kind == "assertion" else message)
            group = groups.setdefault(key, {"kind": kind, "message": key[1], "files": [],
                                            "tests": [], "examples": []})
            if row.file not in group["files"]:
                group["files"].append(row.file)
            if test and test not in group["tests"]:
                group["tests"].append(test)
            example = one_line(message, MAX_GROUP_TEXT)
            if example and example not in group["examples"] and len(group["examples"]) < MAX_EXAMPLES:
                group["examples"].append(example)
    ordered = sorted(groups.values(), key=lambda g: (-len(g["files"]), g["kind"] != "assertion",
                                                     g["message"]))
    for group in ordered:
        group["students"] = len(group["files"])
    return students, ordered


def histogram(scores: Sequence[float]) -> list[dict[str, Any]]:
    """Ten bins of ten points, ``[0, 10)`` ... ``[90, 100]``."""
    counts = [0] * BINS
    for value in scores:
        counts[min(BINS - 1, max(0, int(value // (100 / BINS))))] += 1
    width = 100 // BINS
    return [{"from": i * width, "to": (i + 1) * width, "count": c} for i, c in enumerate(counts)]


def class_report(pack: Pack, rows: Sequence[GradeRow]) -> dict[str, Any]:
    """The class report as JSON-ready data (see the module's docstring)."""
    graded = [r for r in rows if r.is_final]
    scores = [r.score for r in graded]
    failing_students, groups = _groups(graded)
    return {
        "kind": KIND, "version": VERSION, "problem": pack.slug, "title": pack.title,
        "pack_hash": pack.content_hash, "qa_arena_version": __version__,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": len(rows), "graded": len(graded),
        "not_graded": [r.file for r in rows if not r.is_final],
        "bugs": _bug_rates(pack, rows),
        "failed_on_golden": {
            "students": failing_students,
            "share": round(failing_students / len(graded), 4) if graded else None,
            "groups": groups,
        },
        "scores": {
            "mean": round(statistics.fmean(scores), 1) if scores else None,
            "median": round(statistics.median(scores), 1) if scores else None,
            "histogram": histogram(scores),
        },
        "flagged": [{"file": r.file, "flags": list(r.flags),
                     "meanings": [flag_meanings.meaning(f) for f in r.flags]}
                    for r in rows if r.flags],
        "dropped_tests": [{"file": r.file, "tests": [t for t, _ in r.dropped]}
                          for r in rows if r.dropped],
    }


class ClassReportError(ValueError):
    """Not a class report this version can read (the message says why)."""


@dataclass(frozen=True)
class Suggestion:
    """A group of students whose tests expect the same thing of the correct code."""

    message: str
    students: int
    tests: tuple[str, ...]
    examples: tuple[str, ...]
    files: tuple[str, ...]


def load_class_report(path: Path) -> tuple[dict[str, Any], list[Suggestion]]:
    """Read a ``class-report.json``: (the report, its failing-assertion groups as
    suggestions, most students first). Raises :class:`ClassReportError`."""
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise ClassReportError(f"{path.name} is over {MAX_REPORT_BYTES // 2**20} MiB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClassReportError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ClassReportError(f"{path.name} is not a JSON file ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise ClassReportError(f"{path.name} is not a class report written by qa-arena grade")
    if data.get("version") != VERSION:
        raise ClassReportError(f"{path.name} is a class report of another version "
                               f"({data.get('version')!r}); grade the class again")
    groups = (data.get("failed_on_golden") or {}).get("groups") or []
    suggestions = []
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, dict) or group.get("kind") != "assertion":
            continue
        suggestions.append(Suggestion(
            message=one_line(group.get("message", ""), MAX_GROUP_TEXT),
            students=int(group.get("students") or 0) if str(group.get("students", "0")).isdigit()
            else 0,
            tests=tuple(one_line(t, 200) for t in group.get("tests") or [] if isinstance(t, str)),
            examples=tuple(one_line(e, MAX_GROUP_TEXT) for e in group.get("examples") or []
                           if isinstance(e, str)),
            files=tuple(one_line(f, 200) for f in group.get("files") or [] if isinstance(f, str)),
        ))
    return data, sorted(suggestions, key=lambda s: -s.students)
