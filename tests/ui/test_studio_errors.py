"""Inline errors the author can work with: shown once a field was edited (or all after
Validate), a layout that does not jump, a list of problems that jumps to each field; the
signature filled from golden; an empty studio without blank fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.studio.studio_window import TAB_MUTANTS, TAB_PACK, StudioWindow
from qa_arena_desktop.ui.studio.wizard import NewPackDialog
from tests.packs.factory import manifest, write_pack
from tests.ui.conftest import ScriptedBackend


@pytest.fixture
def studio(qtbot, catalog):  # type: ignore[no-untyped-def]
    window = StudioWindow(catalog, ScriptedBackend(killed={"returns-same", "adds-two"}))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    yield window
    assert window.shutdown()


@pytest.fixture
def hintless(tmp_path: Path) -> Path:
    """A pack whose first mutant has no hint: one problem, in a field nobody edited yet."""
    folder = write_pack(tmp_path)
    (folder / "problem.toml").write_text(manifest().replace('hint = "Look closely."', 'hint = ""', 1))
    return folder


def test_an_opened_pack_shows_no_red_until_a_field_is_edited_or_validated(studio, hintless, qtbot):
    studio.open_path(hintless)
    hint_error = studio.mutants.errors["hint"]
    studio.mutants.list.setCurrentRow(0)
    assert "mutants[0].hint" in studio.errors and not hint_error.has_error()
    assert studio.problems_label.text() == "⚠ 1 problem to fix"
    assert studio.problems() == [f"mutants[0].hint: {studio.errors['mutants[0].hint'][0]}"]
    with qtbot.waitSignal(studio.validation_finished, timeout=10_000):
        studio.validate()
    studio.mutants.list.setCurrentRow(0)
    assert "has no hint" in hint_error.full_text()


def test_picking_a_problem_jumps_to_its_field_and_shows_its_error(studio, hintless, qtbot):
    studio.show()
    studio.open_path(hintless)
    studio.mutants.list.setCurrentRow(1)
    studio.tabs.setCurrentIndex(TAB_PACK)
    studio.problems_menu.actions()[0].trigger()
    assert studio.tabs.currentIndex() == TAB_MUTANTS
    assert studio.mutants.list.currentRow() == 0
    assert studio.focusWidget() is studio.mutants.hint
    assert "has no hint" in studio.mutants.errors["hint"].full_text()
    qtbot.keyClicks(studio.mutants.hint, "What does add_one(0) return?")
    qtbot.waitUntil(lambda: studio.problems_label.text() == "No problems found while typing")
    assert not studio.problems_label.isEnabled()


def _top(widget, window) -> int:  # type: ignore[no-untyped-def]
    return widget.mapTo(window, QPoint(0, 0)).y()


def test_fields_do_not_move_when_an_error_comes_and_goes(studio, tmp_path, qtbot):
    studio.show()
    qtbot.waitExposed(studio)
    studio.open_path(write_pack(tmp_path))
    form = studio.form
    below = [_top(w, studio) for w in (form.title, form.signature, form.tags, form.description)]
    label = form.errors["slug"]
    qtbot.keyClicks(form.slug, " Bad Slug")
    qtbot.waitUntil(lambda: label.isVisible() and label.has_error())
    assert [_top(w, studio) for w in (form.title, form.signature, form.tags,
                                      form.description)] == below
    assert label.height() == label.fontMetrics().lineSpacing() + 2  # one line, elided
    assert "lowercase" in label.toolTip()
    form.slug.setText("add-one")
    form.slug.textEdited.emit("add-one")
    qtbot.waitUntil(lambda: not label.has_error())
    assert [_top(w, studio) for w in (form.title, form.signature, form.tags,
                                      form.description)] == below


def test_the_wizard_starts_without_red_and_fills_the_signature_from_golden(qtbot):
    dialog = NewPackDialog()
    qtbot.addWidget(dialog)
    assert not any(label.has_error() for label in dialog.errors.values())
    assert not dialog.create_button.isEnabled()
    qtbot.keyClicks(dialog.title, "Count evens")
    dialog.golden.setPlainText("def count_evens(numbers: list[int]) -> int:\n    return 0\n")
    assert dialog.signature.text() == "def count_evens(numbers: list[int]) -> int"
    assert dialog.create_button.isEnabled()
    dialog.signature.clear()
    qtbot.keyClicks(dialog.signature, "def count_evens(numbers)")
    dialog.golden.setPlainText("def count_evens(values: list[int]) -> int:\n    return 0\n")
    assert dialog.signature.text() == "def count_evens(numbers)"  # typed: no longer follows


def test_an_empty_signature_in_the_studio_is_filled_from_golden(studio, tmp_path, qtbot):
    studio.open_path(write_pack(tmp_path))
    studio.form.signature.clear()
    studio.form.signature.textEdited.emit("")
    assert studio.draft.function_signature == ""
    studio.golden.setPlainText("def add_one(x: int, *, step: int) -> int:\n    return x + step\n")
    assert studio.form.signature.text() == "def add_one(x: int, *, step: int) -> int"
    assert studio.draft.function_signature == studio.form.signature.text()


def test_an_empty_studio_shows_two_ways_in_and_no_blank_form(studio, tmp_path, qtbot):
    studio.show()
    assert studio.stack.currentWidget() is studio.welcome
    assert not studio.form.isVisible() and not studio.form.time_limit.isVisible()
    assert studio.welcome_new.isVisible() and studio.welcome_open.isVisible()
    studio.open_path(write_pack(tmp_path))
    assert studio.form.isVisible() and studio.form.time_limit.text() == "5.0 s"


def test_save_has_a_save_icon(studio):
    def image(icon):  # type: ignore[no-untyped-def]
        return icon.pixmap(24, 24).toImage()

    save = studio.toolbar_actions["save"].icon()
    assert not icons.icon("save").isNull() and image(save) == image(icons.icon("save"))
    assert image(save) != image(icons.icon("submit"))  # not the Submit arrow any more


def test_a_pack_opened_with_an_empty_signature_gets_golden_s(studio, tmp_path):
    folder = write_pack(tmp_path)
    toml = folder / "problem.toml"
    toml.write_text(toml.read_text().replace('"def add_one(x: int) -> int"', '""'))
    studio.open_path(folder)
    assert studio.form.signature.text() == "def add_one(x: int) -> int"
    assert studio.draft.function_signature == "def add_one(x: int) -> int"
    assert studio.is_dirty()  # filled in: Save writes it
