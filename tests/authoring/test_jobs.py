"""The studio's background jobs, headless: validate an unsaved draft, generate without an engine."""

from __future__ import annotations

from pathlib import Path

from qa_arena_desktop.authoring.draft import load_draft
from qa_arena_desktop.authoring.jobs import generate_and_check, validate_draft
from qa_arena_desktop.domain.backend import JudgeUnavailable
from tests.packs.factory import write_pack
from tests.ui.conftest import ScriptedBackend


class NoEngine:
    def run(self, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise JudgeUnavailable("no Docker engine is reachable", "Start it")


def test_validate_draft_checks_unsaved_edits_without_touching_the_folder(tmp_path: Path):
    folder = write_pack(tmp_path)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    draft = load_draft(folder)
    draft.mutants[1].name = "renamed-in-memory"
    result = validate_draft(draft, ScriptedBackend(killed={"returns-same"}))
    assert result.survivors == ("renamed-in-memory",) and not result.ok
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_generate_without_tests_or_engine_still_lists_candidates():
    golden = "def f(a):\n    return a + 1\n"
    no_tests = generate_and_check(golden, "", NoEngine())
    assert no_tests.candidates and no_tests.check is None and "reference tests" in no_tests.message
    no_engine = generate_and_check(golden, "def test_x():\n    pass\n", NoEngine())
    assert no_engine.candidates and no_engine.check is None
    assert no_engine.message.startswith("no verdicts: no Docker engine")


def test_a_drafts_support_files_go_with_the_candidates_it_generates():
    """The studio judges candidates with the pack's helpers next to the reference tests."""
    from qa_arena_desktop import paths

    draft = load_draft(paths.problems_dir() / "roll-dice")
    [helpers] = draft.support_files()
    assert helpers.name == "helpers.py" and "class ScriptedRandom" in helpers.text
    backend = ScriptedBackend()
    generate_and_check(draft.golden_source, draft.reference_tests, backend,  # type: ignore[arg-type]
                       support_files=draft.support_files())
    assert backend.requests and all(r.support_files == (helpers,) for r in backend.requests)
