"""Export one submission as a mutation-testing-elements report (Stryker's report schema).

That JSON is what Stryker's HTML viewer (the ``mutation-test-report-app`` web
component of the ``mutation-testing-elements`` npm package) reads, so a teacher
can browse any student's result in an existing viewer: the correct code with
each mutant shown in place, who killed it, and the student's tests.

Mapping (schema version 2, validated against the official schema in the tests):

* the golden source is the one mutated file, named ``target.py`` (the module
  the learner imports); each mutant's location comes from a line diff (``text_diff``) of the
  golden and mutant sources: from the first to the last changed line, trimmed
  to the characters that differ (widened to whole words), with the mutant's
  text as ``replacement``,
  so replacing that range of the golden source gives the mutant back exactly;
* ``mutatorName`` and ``id`` are the mutant's name, ``description`` its hint,
  ``statusReason`` the judge's message, ``killedBy`` the tests that failed on
  it, ``coveredBy`` every test that ran on it;
* KILLED -> Killed, SURVIVED -> Survived, TIMEOUT -> Timeout, MEMORY -> RuntimeError
  (Stryker's status for a mutant that blew a resource limit; the viewer leaves
  it out of its score while QA Arena counts it as killed), ERROR -> RuntimeError
  (a judge fault while running the mutant: packs are validated, so a mutant
  never fails to compile and CompileError would mislead), equivalent or not run
  (the tests failed on the golden code) -> Ignored with the reason.

The viewer's mutation score is unweighted (killed / valid mutants); the QA Arena
score (``30 + 70 * weighted kills``) is in ``config`` for reference, with the
submission's flags and what each means.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qa_arena_desktop import __version__
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.judge_models import JudgeResult, MutantResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import MutantStatus
from qa_arena_desktop.files import write_atomically
from qa_arena_desktop.judging import flags
from qa_arena_desktop.text_diff import changed_range
from qa_arena_desktop.text_safety import json_text

SCHEMA_VERSION = "2"
SOURCE_NAME = "target.py"
THRESHOLDS = {"high": 80, "low": 60}
STATUS = {
    MutantStatus.KILLED: "Killed",
    MutantStatus.SURVIVED: "Survived",
    MutantStatus.TIMEOUT: "Timeout",
    MutantStatus.MEMORY: "RuntimeError",
    MutantStatus.ERROR: "RuntimeError",
}


def _position(text: str, offset: int) -> dict[str, int]:
    """1-based line and column of a character offset (lines split on ``\\n``)."""
    line_start = text.rfind("\n", 0, offset) + 1
    return {"line": text.count("\n", 0, offset) + 1, "column": offset - line_start + 1}


def mutant_location(golden: str, mutant: str) -> tuple[dict[str, Any], str]:
    """The golden range a mutant replaces, and its replacement text (start in, end out)."""
    old_lines = golden.splitlines(keepends=True)
    new_lines = mutant.splitlines(keepends=True)
    changed = changed_range(old_lines, new_lines)
    if changed is None:  # identical: point at the start, replace nothing
        return {"start": {"line": 1, "column": 1}, "end": {"line": 1, "column": 1}}, ""
    i1, i2, j1, j2 = changed
    old, new = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
    prefix = len(_common_prefix(old, new))
    suffix = len(_common_prefix(old[prefix:][::-1], new[prefix:][::-1]))
    # Widen to whole words (shared by both sides, so still exact): `strip` -> `rstrip`
    # reads better in the viewer than inserting an `r`.
    while prefix > 0 and _is_word(old[prefix - 1]):
        prefix -= 1
    while suffix > 0 and _is_word(old[len(old) - suffix]):
        suffix -= 1
    start = len("".join(old_lines[:i1])) + prefix
    end = start + len(old) - prefix - suffix
    replacement = new[prefix: len(new) - suffix]
    return {"start": _position(golden, start), "end": _position(golden, end)}, replacement


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]


def locate_test(tests_source: str, test_id: str) -> dict[str, Any] | None:
    """Where ``def test_x`` (or ``class TestX: def test_y``) starts in the learner's file."""
    try:
        tree: ast.AST = ast.parse(tests_source)
    except (SyntaxError, ValueError):
        return None
    for part in test_id.split("[", 1)[0].split("::"):
        found = next((node for node in ast.iter_child_nodes(tree)
                      if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                      and node.name == part), None)
        if found is None:
            return None
        tree = found
    if not isinstance(tree, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return None
    return {"start": {"line": tree.lineno, "column": tree.col_offset + 1}}


def _mutant_entry(pack: Pack, name: str, source: str, hint: str) -> dict[str, Any]:
    location, replacement = mutant_location(pack.golden_source, source)
    entry: dict[str, Any] = {"id": name, "mutatorName": name, "location": location,
                             "replacement": replacement}
    if hint:
        entry["description"] = hint
    return entry


def _judged(entry: dict[str, Any], result: MutantResult) -> dict[str, Any]:
    ran = [t.id for t in result.tests]
    reason = result.message
    if result.status is MutantStatus.MEMORY:
        reason = "hit the memory limit (counts as killed in QA Arena)" + (f": {reason}" if reason else "")
    entry.update(status=STATUS.get(result.status, "RuntimeError"), killedBy=list(result.killed_by),
                 coveredBy=ran, testsCompleted=len(ran), duration=result.duration_ms)
    if reason:
        entry["statusReason"] = reason
    return entry


def mutation_report(pack: Pack, result: JudgeResult, tests_source: str,
                    test_file: str = "test_submission.py") -> dict[str, Any]:
    """The mutation-testing-elements report of one judged submission."""
    judged = {m.name: m for m in result.mutants}
    mutants = []
    for mutant in pack.mutants:
        entry = _mutant_entry(pack, mutant.name, mutant.source, mutant.hint)
        if mutant.name in judged:
            mutants.append(_judged(entry, judged[mutant.name]))
            continue
        entry["status"] = "Ignored"
        entry["statusReason"] = (
            "equivalent to the correct code: not part of the score" if mutant.equivalent
            else f"not run: {result.message or 'the judge did not reach this mutant'}"
        )
        mutants.append(entry)

    test_ids: dict[str, None] = {}
    for mutant_result in result.mutants:
        for outcome in mutant_result.tests:
            test_ids.setdefault(outcome.id, None)
    for failed in result.golden.failed_tests if result.golden else ():
        test_ids.setdefault(failed, None)
    tests = []
    for test_id in test_ids:
        test: dict[str, Any] = {"id": test_id, "name": test_id}
        location = locate_test(tests_source, test_id)
        if location is not None:
            test["location"] = location
        tests.append(test)

    return {
        "schemaVersion": SCHEMA_VERSION,
        "thresholds": dict(THRESHOLDS),
        "files": {SOURCE_NAME: {"language": "python", "source": pack.golden_source,
                                "mutants": mutants}},
        "testFiles": {test_file: {"source": tests_source, "tests": tests}},
        "framework": {"name": "QA Arena Desktop", "version": __version__},
        "config": {"problem": pack.slug, "title": pack.title, "status": result.status.value,
                   "score": result.score, "message": result.message,
                   "submission_id": result.submission_id,
                   "flags": {flag: flags.meaning(flag) for flag in result.flags}},
    }


def report_names(files: list[str]) -> dict[str, str]:
    """One ``<file-stem>.json`` name per file, numbered when two students share a stem."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for file in files:
        stem = Path(file).stem or "submission"
        name, n = f"{stem}.json", 1
        while name.lower() in used:
            n += 1
            name = f"{stem}-{n}.json"
        used.add(name.lower())
        names[file] = name
    return names


def write_mte_reports(directory: Path, pack: Pack, rows: Sequence[GradeRow],
                      paths: Mapping[str, Path]) -> dict[str, str]:
    """One report per judged row in ``directory`` (plus ``viewer.html``).

    ``paths`` maps a row's ``file`` to the file on disk (its tests are read back
    for the report). Returns row file -> the report's path relative to the
    directory's parent, for the JSON report. Rows without a judge result (the
    file could not even be read or judged) get no report.
    """
    judged = [row for row in rows if row.result is not None]
    if not judged:
        return {}
    names = report_names([row.file for row in judged])
    written: dict[str, str] = {}
    for row in judged:
        assert row.result is not None
        path = paths.get(row.file)
        try:
            source = path.read_bytes().decode("utf-8", "replace") if path is not None else ""
        except OSError:
            source = ""
        report = mutation_report(pack, row.result, source,
                                 Path(row.file).name if path is not None else "test_submission.py")
        write_atomically(directory / names[row.file],
                         json_text(report, indent=2) + "\n")
        written[row.file] = f"{directory.name}/{names[row.file]}"
    write_atomically(directory / "viewer.html", VIEWER_HTML)
    return written


VIEWER_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>QA Arena: mutation testing reports</title>
<!-- Offline: put mutation-test-elements.js (npm package mutation-testing-elements, dist/)
     beside this file. Otherwise it is loaded from unpkg. -->
<script defer src="mutation-test-elements.js"
  onerror="var s=document.createElement('script');s.src='https://www.unpkg.com/mutation-testing-elements';document.head.appendChild(s)"></script>
</head>
<body>
<p>Open a student's report (a .json file from this folder): <input type="file" accept=".json" id="pick"></p>
<mutation-test-report-app title-postfix="QA Arena"></mutation-test-report-app>
<script>
document.getElementById('pick').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  if (file) {
    document.querySelector('mutation-test-report-app').report = JSON.parse(await file.text());
  }
});
</script>
</body>
</html>
"""
