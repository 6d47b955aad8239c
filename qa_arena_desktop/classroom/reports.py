"""The gradebook CSV and the JSON report of a batch.

The CSV columns are a contract (``DESIGN.md``: file, status, score,
killed_mutants, total_mutants, message, flags; flags joined with ``;``). It is
plain UTF-8 with one line per student, so a spreadsheet opens it as is. Text
cells that a spreadsheet would run as a formula (a student can name a file, or
make an assertion message start, with ``=``) are prefixed with ``'`` (the
OWASP advice against CSV injection); control characters (ESC, CR, bidi overrides...)
are shown escaped (``\x1b``), as in every output (:mod:`qa_arena_desktop.text_safety`).

The JSON report holds the same rows plus, per student, the mutants' verdicts and
a kill matrix (tests x mutants, from each :class:`MutantResult`'s per-test
outcomes), so a teacher can see which test caught which bug. Both files are
written atomically: an interrupted run never leaves half a gradebook.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa_arena_desktop import __version__
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.files import write_atomically
from qa_arena_desktop.judging.kill_matrix import build_kill_matrix
from qa_arena_desktop.text_safety import json_text, one_line

CSV_COLUMNS = ("file", "status", "score", "killed_mutants", "total_mutants", "message", "flags")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_MESSAGE_CHARS = 1000


def safe_cell(text: str) -> str:
    """One spreadsheet-safe line: no formula trigger at the start, no line breaks, no
    control characters (escaped visibly)."""
    text = one_line(text, MAX_MESSAGE_CHARS)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Sequence[GradeRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([
            safe_cell(row.file), row.status, f"{row.score:.1f}", row.killed_mutants,
            row.total_mutants, safe_cell(row.message), safe_cell(";".join(row.flags)),
        ])
    return buffer.getvalue()


def write_csv(rows: Sequence[GradeRow], path: Path) -> None:
    write_atomically(path, csv_text(rows))


def kill_matrix(result: JudgeResult | None) -> dict[str, Any]:
    """Tests x mutants: ``cells[i][j]`` is test i's outcome on mutant j, ``None`` if not run.

    Outcomes are the runner's (``passed``, ``failed``, ``error``, ``skipped``); a test
    that failed or errored on a mutant killed it. Tests are listed in the order the
    runner first reported them.
    """
    if result is None:
        return {"tests": [], "mutants": [], "cells": []}
    matrix = build_kill_matrix(None, result.mutants)
    names = matrix.mutant_names
    return {
        "tests": list(matrix.tests),
        "mutants": names,
        "cells": [[matrix.cells[(test, name)].outcome if (test, name) in matrix.cells else None
                   for name in names] for test in matrix.tests],
    }


@dataclass(frozen=True)
class Summary:
    files: int
    success: int
    failure: int
    error: int
    reused: int
    mean_score: float | None  # over SUCCESS and FAILURE rows; None when there are none

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "SUCCESS": self.success, "FAILURE": self.failure,
                "ERROR": self.error, "unchanged": self.reused, "mean_score": self.mean_score}


def summarize(rows: Sequence[GradeRow]) -> Summary:
    finals = [r.score for r in rows if r.is_final]
    return Summary(
        files=len(rows),
        success=sum(1 for r in rows if r.status == "SUCCESS"),
        failure=sum(1 for r in rows if r.status == "FAILURE"),
        error=sum(1 for r in rows if r.status == "ERROR"),
        reused=sum(1 for r in rows if r.reused),
        mean_score=round(statistics.fmean(finals), 1) if finals else None,
    )


def student_entry(row: GradeRow, mte_report: str | None = None) -> dict[str, Any]:
    result = row.result.to_json_dict() if row.result is not None else None
    return {
        "file": row.file, "status": row.status, "score": row.score,
        "killed_mutants": row.killed_mutants, "total_mutants": row.total_mutants,
        "message": row.message, "flags": list(row.flags), "sha256": row.sha256,
        "kill_ratio": result["kill_ratio"] if result else 0.0,
        "submission_id": result["submission_id"] if result else None,
        "golden": result["golden"] if result else None,
        "mutants": result["mutants"] if result else [],
        "kill_matrix": kill_matrix(row.result),
        "mte_report": mte_report,
        "dropped": [{"test": test, "message": message} for test, message in row.dropped],
    }


def json_report(pack: Pack, rows: Sequence[GradeRow],
                mte_reports: dict[str, str] | None = None) -> dict[str, Any]:
    """The whole batch; ``mte_reports`` maps a row's file to its mutation-testing report."""
    mte_reports = mte_reports or {}
    return {
        "problem": pack.slug,
        "title": pack.title,
        "pack_hash": pack.content_hash,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "qa_arena_version": __version__,
        "columns": list(CSV_COLUMNS),
        "summary": summarize(rows).to_dict(),
        "students": [student_entry(row, mte_reports.get(row.file)) for row in rows],
    }


def write_json(pack: Pack, rows: Sequence[GradeRow], path: Path,
               mte_reports: dict[str, str] | None = None) -> None:
    text = json_text(json_report(pack, rows, mte_reports), indent=2)
    write_atomically(path, text + "\n")
