"""The studio against the real judge: from a bare golden to a published, validated pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_arena_desktop.authoring.draft import new_pack
from qa_arena_desktop.catalog import store
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.packs.loader import load_pack
from qa_arena_desktop.ui.studio.studio_window import StudioWindow

pytestmark = pytest.mark.docker

GOLDEN = '''def count_evens(numbers: list[int]) -> int:
    """How many of the numbers are even."""
    count = 0
    for n in numbers:
        if n % 2 == 0:
            count += 1
    return count
'''
TESTS = '''from target import count_evens


def test_empty_list_has_none():
    assert count_evens([]) == 0


def test_mixed_numbers():
    assert count_evens([1, 2, 3, 4]) == 2


def test_zero_and_negatives_count():
    assert count_evens([0, -2, -3]) == 2


def test_all_odd():
    assert count_evens([1, 3, 5]) == 0
'''


def test_bare_golden_to_validated_published_pack(qtbot, catalog, tmp_path: Path,
                                                 no_leftover_containers):
    backend = DockerBackend()
    studio = StudioWindow(catalog, backend)
    qtbot.addWidget(studio)
    try:
        studio.load(new_pack("count-evens", "Count even numbers", "Very Easy",
                             "def count_evens(numbers: list[int]) -> int", GOLDEN), None)
        studio.tests.setPlainText(TESTS)
        with qtbot.waitSignal(studio.generation_finished, timeout=120_000) as generated:
            studio.generate()
        result = generated.args[0]
        assert result.check is not None and result.check.golden_passed, result
        verdicts = result.check.verdicts
        assert "KILLED" in verdicts and None not in verdicts
        killed = [i for i, v in enumerate(verdicts) if v == "KILLED"][:5]
        panel = studio.candidates
        for index in killed:
            panel.tree.setCurrentItem(panel.tree.topLevelItem(index))
            panel.hint.setText(f"Which numbers does case {index} miss?")
            panel.hint.textEdited.emit(panel.hint.text())
            panel.tick(index)
        panel.add_button.click()
        # a finished pack: the starter description replaced by one with an example that
        # does not give every bug away (Very Easy's examples ceiling is 85)
        studio.form.description.setPlainText(
            "# Count even numbers\n\nHow many of `numbers` are even.\n\n"
            "```python\ncount_evens([])  # 0\n```\n")
        assert len(studio.draft.mutants) == len(killed)
        qtbot.waitUntil(lambda: studio.errors == {} and "No problems" in studio.problems_label.text())

        with qtbot.waitSignal(studio.validation_finished, timeout=120_000) as validated:
            studio.validate()
        validation = validated.args[0]
        assert validation.ok, validation.errors
        assert validation.golden_passed and validation.deterministic
        assert studio.validation.chips["survivors"].text() == "Every mutant killed"
        first = studio.draft.mutants[0].name
        test = next(t for t, row in validation.kill_matrix.items() if row.get(first))
        assert studio.validation.cell_text(test, first) == "✕"

        folder = tmp_path / "count-evens"
        assert studio.save_to(folder)
        assert studio.export_to(tmp_path / "count-evens.zip")
        assert load_pack(tmp_path / "count-evens.zip").slug == "count-evens"
        assert studio.publish()
        assert any(p.slug == "count-evens" and p.mutants == len(killed)
                   for p in store.list_problems(catalog))
    finally:
        assert studio.shutdown()
        backend.close()
