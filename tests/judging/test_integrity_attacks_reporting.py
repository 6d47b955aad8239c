"""Judge integrity, classes 5 to 8: detection, disclosure, output and storage, on a real engine.

The earlier classes (1-4: what a test process holds, the result channel, files and kernel
state between runs) are in test_integrity_attacks.py; packs (class 9) in
tests/packs/test_untrusted_packs.py and tests/authoring/test_validation.py. Every attack here
is judged through a warm backend, and the next honest submission must still get 100,
unflagged. See docs/reliability.md, "Judge integrity".
"""

from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path

import pytest

from qa_arena_desktop.catalog import store
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging import detail_bounds, disclosure, flags
from tests.cli.test_judge_command import run_cli
from tests.judging.warm_judge import Judge
from tests.packs.factory import GOLDEN, REFERENCE, write_pack

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftover_containers")]

INTROSPECTS = flags.INTROSPECTS_CODE_UNDER_TEST
GOLDEN_LINE = "Return x + 1."  # golden's docstring: in no mutant, no test file here


def assert_flagged(result: JudgeResult, flag: str = INTROSPECTS) -> None:
    assert result.status is not SubmissionStatus.ERROR, result.message
    assert flag in result.flags, (result.flags, result.score)


def everything_stored(judge: Judge, result: JudgeResult) -> str:
    """All the judge keeps or shows of a submission: the JSON, the catalog row, the rows."""
    detail = store.get_submission(judge.catalog, result.submission_id)
    return json.dumps(result.to_json_dict()) + detail.model_dump_json()


# ---- 5. reading the code under test is detected at run time, whatever the spelling ---------


def test_a_file_name_built_at_run_time_is_flagged(judge):
    # An exact copy of the bundled golden (it ships on the learner's disk) as the oracle.
    result = judge(f"""
        GOLDEN = {GOLDEN!r}
        def test_cheat():
            with open("tar" + "get" + ".py") as handle:
                assert handle.read() == GOLDEN
    """)
    assert_flagged(result)
    judge.honest_after()


def test_a_size_oracle_through_stat_is_flagged(judge):
    result = judge(f"""
        import os
        def test_cheat():
            name = "".join(reversed("yp.tegrat"))
            assert os.stat(name).st_size == {len(GOLDEN.encode())}
    """)
    assert_flagged(result)


def test_listing_the_run_directory_then_reading_is_flagged(judge):
    result = judge("""
        import os
        def test_cheat():
            sources = [open(name).read() for name in os.listdir(".")
                       if name.endswith(".py") and not name.startswith("test")]
            assert any('Return x + 1' in text for text in sources)
    """)
    assert_flagged(result)
    assert result.status is SubmissionStatus.SUCCESS and result.score == 100.0  # still judged


def test_reading_the_bytecode_of_the_code_under_test_is_flagged(judge):
    result = judge("""
        import target
        def test_cheat():
            code = getattr(target.add_one, "__co" + "de__")
            assert 1 in code.co_consts and 2 not in code.co_consts
    """)
    assert_flagged(result)


def test_enumerating_objects_and_foreign_frames_is_flagged(judge):
    result = judge("""
        import gc, sys
        from target import add_one
        def test_cheat():
            frame = sys._getframe()
            while frame.f_back is not None:
                frame = frame.f_back
            assert len(gc.get_objects()) > 0 and frame is not None
    """)
    assert_flagged(result)


def test_honest_tests_using_files_tracebacks_and_fixtures_are_not_flagged(judge):
    # What pytest itself does (assertion rewriting, tracebacks quoting the target's lines
    # on every mutant) and what honest tests do with files must raise no flag.
    result = judge("""
        import json
        import pytest
        from target import add_one

        @pytest.mark.parametrize(("x", "want"), [(0, 1), (-1, 0), (41, 42)])
        def test_values(x, want):
            assert add_one(x) == want

        def test_through_a_file(tmp_path):
            path = tmp_path / "case.json"
            path.write_text(json.dumps({"x": 5}))
            assert add_one(json.loads(path.read_text())["x"]) == 6

        def test_type_error():
            with pytest.raises(TypeError):
                add_one(None)
    """)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert result.score == 100.0
    assert result.flags == ()


# ---- 6. a failure message never carries the hidden code out --------------------------------


def test_golden_failing_with_its_own_source_is_withheld_everywhere(judge):
    result = judge("""
        def test_leak():
            assert False, open("target.py").read()
    """)
    assert result.status is SubmissionStatus.FAILURE
    assert result.golden is not None and result.golden.message == disclosure.WITHHELD
    assert_flagged(result, disclosure.FLAG)
    assert GOLDEN_LINE not in everything_stored(judge, result)
    assert GOLDEN_LINE.encode() not in Path(judge.catalog.path).read_bytes()
    judge.honest_after()


def test_source_escaped_into_a_repr_or_a_test_id_is_withheld(judge):
    result = judge("""
        import pytest
        SOURCE = open("target.py").read()

        def test_repr():
            pytest.fail(repr(SOURCE))

        @pytest.mark.parametrize("text", [SOURCE], ids=[SOURCE.replace(chr(10), " ")])
        def test_id(text):
            assert not text
    """)
    assert result.status is SubmissionStatus.FAILURE
    assert_flagged(result, disclosure.FLAG)
    stored = everything_stored(judge, result)
    assert GOLDEN_LINE not in stored
    assert any(test_id.startswith("test-id-withheld-") for test_id in result.golden.failed_tests)


def test_a_mutants_source_is_withheld_from_its_kill(judge):
    result = judge("""
        from target import add_one
        def test_leak():
            assert add_one(1) == 2, open("target.py").read()
    """)
    assert result.status is SubmissionStatus.SUCCESS
    assert_flagged(result, disclosure.FLAG)
    for mutant in result.mutants:
        assert "return x" not in mutant.message
        assert all("return x" not in t.message for t in mutant.tests)


# ---- 7. what the learner wrote reaches no terminal and no spreadsheet raw --------------------

RAW_CONTROLS = ("\x1b", "\x07", "\r", "\x9b", "\u202e")
HOSTILE = "\\x1b[2J\\x1b]0;owned\\x07\\rPASS 100\\u202e"  # as Python source text


def assert_terminal_safe(text: str) -> None:
    found = [repr(ch) for ch in RAW_CONTROLS if ch in text]
    assert not found, (found, text[-2000:])


def test_judge_output_escapes_control_characters_from_messages_and_ids(tmp_path):
    pack = write_pack(tmp_path / "packs")
    tests = tmp_path / "test_evil.py"
    tests.write_text(textwrap.dedent(f"""
        import pytest
        from target import add_one
        @pytest.mark.parametrize("x", [0], ids=["{HOSTILE}"])
        def test_evil(x):
            assert add_one(x) == 2, "{HOSTILE}"
    """))
    completed = run_cli("judge", "--pack", str(pack), "--tests", str(tests))
    assert completed.returncode == 0, completed.stderr
    assert "FAILURE" in completed.stdout
    assert_terminal_safe(completed.stdout + completed.stderr)
    assert "\\x1b" in completed.stdout  # shown, escaped: the learner sees what they wrote
    as_json = run_cli("judge", "--pack", str(pack), "--tests", str(tests), "--json")
    assert_terminal_safe(as_json.stdout)
    assert "\x1b" in json.loads(as_json.stdout)["golden"]["message"]  # the value is kept


def test_grade_escapes_student_file_names_and_messages_in_lines_and_csv(tmp_path):
    pack = write_pack(tmp_path / "packs")
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "alice\x1b]0;owned\x07.py").write_text(REFERENCE)
    (folder / "bob\r.py").write_text(textwrap.dedent(f"""
        from target import add_one
        def test_evil():
            assert add_one(0) == 2, "{HOSTILE}"
    """))
    out = tmp_path / "grades.csv"
    completed = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    assert_terminal_safe(completed.stdout + completed.stderr)
    sheet = out.read_text(encoding="utf-8")
    assert_terminal_safe(sheet)
    assert "alice\\x1b" in sheet and "bob\\r" in sheet


# ---- 8. a submission stores a bounded amount, whatever its tests report ---------------------


def catalog_growth(judge: Judge, source: str) -> tuple[JudgeResult, int]:
    before = _live_bytes(judge.catalog.path)
    result = judge(source)
    return result, _live_bytes(judge.catalog.path) - before


def _live_bytes(path: Path) -> int:
    """Bytes the catalog's pages hold, free pages excluded (a new connection sees the WAL)."""
    with sqlite3.connect(path) as connection:
        pages, free, size = (connection.execute(f"PRAGMA {name}").fetchone()[0]
                             for name in ("page_count", "freelist_count", "page_size"))
    return (pages - free) * size


def test_five_hundred_tests_with_long_names_store_a_bounded_amount(judge):
    result, grown = catalog_growth(judge, """
        import pytest
        from target import add_one
        @pytest.mark.parametrize("n", range(-250, 250), ids=[f"{i:04d}" + "x" * 1500 for i in range(500)])
        def test_many(n):
            assert add_one(n) == n + 1
    """)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert result.score == 100.0  # the bound never changes a verdict
    assert "details-truncated" in result.flags
    assert grown < 2 * detail_bounds.MAX_DETAIL_BYTES, grown
    judge.honest_after()


def test_huge_failure_messages_on_every_variant_store_a_bounded_amount(judge):
    result, grown = catalog_growth(judge, """
        import pytest
        @pytest.mark.parametrize("n", range(400))
        def test_noise(n):
            pytest.fail("y" * 1_000_000)
    """)
    assert result.status is SubmissionStatus.FAILURE, result.message
    assert len(result.golden.message) <= disclosure.MAX_MESSAGE_CHARS
    assert grown < 2 * detail_bounds.MAX_DETAIL_BYTES, grown
    judge.honest_after()
