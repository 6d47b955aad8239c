"""Mutation-testing-elements export: valid against the official schema, exact locations."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from qa_arena_desktop.classroom.mte import (
    STATUS,
    locate_test,
    mutant_location,
    mutation_report,
    report_names,
    write_mte_reports,
)
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.packs.loader import load_pack, pack_dirs
from tests.classroom.fakes import make_pack, result

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).parent / "data" / "mutation-testing-report-schema.json").read_text())
TESTS = '''from target import add_one


def test_zero():
    assert add_one(0) == 1


class TestBig:
    def test_big(self):
        assert add_one(10**6) == 10**6 + 1
'''


def validate(report: dict) -> None:
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(report)


def apply(source: str, location: dict, replacement: str) -> str:
    """Replace ``location`` (1-based, end exclusive) in ``source``, as the viewer does."""
    lines = source.split("\n")

    def offset(position: dict) -> int:
        return sum(len(line) + 1 for line in lines[: position["line"] - 1]) + position["column"] - 1

    return source[: offset(location["start"])] + replacement + source[offset(location["end"]):]


@pytest.mark.parametrize("status", [SubmissionStatus.SUCCESS, SubmissionStatus.FAILURE,
                                    SubmissionStatus.ERROR])
def test_every_kind_of_result_gives_a_schema_valid_report(tmp_path, status):
    pack = make_pack(tmp_path / "packs", equivalent="subtracts")
    judged = result(pack, {"returns-same": MutantStatus.KILLED, "adds-two": MutantStatus.MEMORY},
                    status=status, message="" if status is SubmissionStatus.SUCCESS else "why")
    report = mutation_report(pack, judged, TESTS, "alice_test.py")
    validate(report)
    assert report["schemaVersion"] == "2"
    assert set(report["files"]) == {"target.py"}
    assert report["files"]["target.py"]["source"] == pack.golden_source


def test_statuses_killed_by_and_tests_map_to_the_schema(tmp_path):
    pack = make_pack(tmp_path / "packs", equivalent="subtracts")
    judged = result(pack, {"returns-same": MutantStatus.KILLED, "adds-two": MutantStatus.MEMORY},
                    tests=("test_zero", "TestBig::test_big"))
    report = mutation_report(pack, judged, TESTS, "alice_test.py")
    mutants = {m["id"]: m for m in report["files"]["target.py"]["mutants"]}
    assert mutants["returns-same"]["status"] == "Killed"
    assert mutants["returns-same"]["killedBy"] == ["test_zero"]
    assert mutants["returns-same"]["coveredBy"] == ["test_zero", "TestBig::test_big"]
    assert mutants["returns-same"]["description"] == "Look closely."
    assert mutants["adds-two"]["status"] == "RuntimeError"
    assert "memory limit" in mutants["adds-two"]["statusReason"]
    assert mutants["subtracts"]["status"] == "Ignored"
    assert "equivalent" in mutants["subtracts"]["statusReason"]
    tests = report["testFiles"]["alice_test.py"]["tests"]
    assert tests == [
        {"id": "test_zero", "name": "test_zero", "location": {"start": {"line": 4, "column": 1}}},
        {"id": "TestBig::test_big", "name": "TestBig::test_big",
         "location": {"start": {"line": 9, "column": 5}}},
    ]
    assert report["config"]["score"] == judged.score
    assert report["config"]["flags"] == {}


def test_the_submissions_flags_and_their_meanings_are_in_the_report(tmp_path):
    pack = make_pack(tmp_path / "packs")
    judged = result(pack, {"returns-same": MutantStatus.KILLED}).model_copy(
        update={"flags": ("reads-target-source",)})
    report = mutation_report(pack, judged, TESTS)
    validate(report)
    assert report["config"]["flags"] == {
        "reads-target-source": "the test file looks at the code under test's source or files "
                               "instead of only calling it"}


def test_mutants_not_run_because_golden_failed_are_ignored_with_the_reason(tmp_path):
    pack = make_pack(tmp_path / "packs")
    judged = result(pack, status=SubmissionStatus.FAILURE, message="test_zero failed on golden")
    mutants = mutation_report(pack, judged, TESTS)["files"]["target.py"]["mutants"]
    assert {m["status"] for m in mutants} == {"Ignored"}
    assert mutants[0]["statusReason"] == "not run: test_zero failed on golden"


def test_every_verdict_has_a_schema_status():
    allowed = SCHEMA["properties"]["files"]["additionalProperties"]["properties"]["mutants"][
        "items"]["properties"]["status"]["enum"]
    final = [s for s in MutantStatus if s.is_final]
    assert set(STATUS) == set(final) and set(STATUS.values()) <= set(allowed)
    assert STATUS[MutantStatus.ERROR] == "RuntimeError"


def test_location_is_the_changed_range_trimmed_to_whole_words():
    golden = "def f(t):\n    return t.strip()\n"
    location, replacement = mutant_location(golden, "def f(t):\n    return t.rstrip()\n")
    assert location == {"start": {"line": 2, "column": 14}, "end": {"line": 2, "column": 19}}
    assert replacement == "rstrip"
    location, replacement = mutant_location("x = 1\n", "x = 2\n")
    assert (location["start"]["column"], location["end"]["column"], replacement) == (5, 6, "2")


@pytest.mark.parametrize(("golden", "mutant"), [
    ("a\nb\nc\n", "a\nc\n"),                         # a line removed
    ("a\nb\n", "a\nb\nc\n"),                         # a line added at the end
    ("a\nb\nc\nd\n", "a\nB\nc\nD\n"),                # two separate changes
    ("x = 1", "x = 10"),                             # no final newline
    ("é = 'ü'\n", "é = 'ö'\n"),                      # non-ASCII
    ("same\n", "same\n"),                            # identical
])
def test_replacing_the_location_gives_the_mutant_back(golden, mutant):
    location, replacement = mutant_location(golden, mutant)
    assert apply(golden, location, replacement) == mutant


def test_every_bundled_mutant_maps_back_exactly():
    packs = pack_dirs(REPO / "problems")  # not chapters.toml or the lessons folder
    assert packs, "no bundled packs"
    for folder in packs:
        pack = load_pack(folder)
        for mutant in pack.mutants:
            location, replacement = mutant_location(pack.golden_source, mutant.source)
            assert apply(pack.golden_source, location, replacement) == mutant.source, (
                f"{pack.slug}/{mutant.name}")


def test_a_test_that_cannot_be_found_has_no_location():
    assert locate_test(TESTS, "test_zero[1-2]") == {"start": {"line": 4, "column": 1}}
    assert locate_test(TESTS, "test_missing") is None
    assert locate_test("def test_a(:\n", "test_a") is None


def test_report_names_are_unique_per_student():
    assert report_names(["a/test.py", "b/test.py", "B/Test.py", "c/alice.py"]) == {
        "a/test.py": "test.json", "b/test.py": "test-2.json", "B/Test.py": "Test-3.json",
        "c/alice.py": "alice.json"}


def test_a_batch_writes_one_report_per_judged_file_and_a_viewer(tmp_path):
    pack = make_pack(tmp_path / "packs")
    tests_file = tmp_path / "alice.py"
    tests_file.write_text(TESTS)
    rows = [GradeRow.from_result(str(tests_file), "h", result(pack)),
            GradeRow.error("gone.py", 3, "could not read the file")]
    written = write_mte_reports(tmp_path / "grades-mte", pack, rows, {str(tests_file): tests_file})
    assert written == {str(tests_file): "grades-mte/alice.json"}
    report = json.loads((tmp_path / "grades-mte" / "alice.json").read_text())
    validate(report)
    assert report["testFiles"]["alice.py"]["source"] == TESTS
    viewer = (tmp_path / "grades-mte" / "viewer.html").read_text()
    assert "mutation-test-report-app" in viewer and "mutation-test-elements.js" in viewer
