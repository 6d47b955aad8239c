"""The Author studio with a scripted judge: open, inline errors, mutant preview, wizard,
validate, generate and add, save, export, publish (and the learner's browser sees it)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from qa_arena_desktop.authoring.draft import load_draft
from qa_arena_desktop.catalog import store
from qa_arena_desktop.packs.loader import load_pack
from qa_arena_desktop.ui.studio.studio_window import TAB_GENERATE, TAB_VALIDATE, StudioWindow
from qa_arena_desktop.ui.studio.wizard import NewPackDialog
from tests.packs.factory import manifest, write_pack
from tests.ui.conftest import ScriptedBackend


@pytest.fixture
def make_studio(qtbot, catalog):  # type: ignore[no-untyped-def]
    studios: list[StudioWindow] = []

    def factory(backend: object | None = None) -> StudioWindow:
        studio = StudioWindow(catalog, backend or ScriptedBackend())  # type: ignore[arg-type]
        qtbot.addWidget(studio)
        studios.append(studio)
        return studio

    yield factory
    for studio in studios:
        assert studio.shutdown(), "the studio's pool did not drain"
        assert studio.tasks.pool.activeThreadCount() == 0


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "packs")


def test_open_a_pack_shows_fields_mutants_and_a_highlighted_diff(make_studio, pack_dir):
    studio = make_studio()
    assert studio.open_path(pack_dir)
    assert studio.form.slug.text() == "add-one"
    assert studio.form.difficulty.currentText() == "Very Easy"
    assert "Return" in studio.form.preview.toPlainText()  # rendered Markdown
    assert [studio.mutants.list.item(i).text() for i in range(2)] == ["returns-same", "adds-two"]
    studio.mutants.list.setCurrentRow(1)
    diff = studio.mutants.diff
    assert diff.changed_rows()  # the changed line is shaded
    assert diff.char_marks("left") == ["1"] and diff.char_marks("right") == ["2"]
    assert studio.problems_label.text() == "No problems found while typing"
    assert not studio.is_dirty()


def test_typing_a_bad_slug_shows_an_inline_error_naming_the_field(make_studio, pack_dir, qtbot):
    studio = make_studio()
    studio.open_path(pack_dir)
    label = studio.form.errors["slug"]
    qtbot.keyClicks(studio.form.slug, " Bad")
    qtbot.waitUntil(lambda: label.isVisibleTo(studio) and label.text().startswith("slug: "))
    assert "lowercase" in label.text()
    assert studio.is_dirty() and "•" in studio.windowTitle()
    # the app's name once, at the end (Qt appends the display name to any other title)
    assert studio.windowTitle().endswith(" — QA Arena") and studio.windowTitle().count("QA Arena") == 1
    studio.form.slug.clear()
    qtbot.keyClicks(studio.form.slug, "add-one")
    qtbot.waitUntil(lambda: not label.isVisibleTo(studio))


def test_mutant_field_errors_show_under_the_field_and_in_the_list(make_studio, pack_dir, qtbot):
    studio = make_studio()
    studio.open_path(pack_dir)
    studio.mutants.list.setCurrentRow(0)
    studio.mutants.weight.setValue(0)
    weight_error = studio.mutants.errors["weight"]
    qtbot.waitUntil(lambda: weight_error.text().startswith("weight: "))
    assert "greater than 0" in weight_error.text()
    assert "weight" in studio.mutants.list.item(0).toolTip()
    studio.mutants.weight.setValue(2.5)
    qtbot.waitUntil(lambda: not weight_error.text())


def test_add_rename_delete_and_edit_a_mutant(make_studio, pack_dir, qtbot):
    studio = make_studio()
    studio.open_path(pack_dir)
    studio.mutants.add_button.click()
    assert studio.mutants.list.count() == 3
    source_error = studio.mutants.errors["source"]
    qtbot.waitUntil(lambda: "mutants[2].source" in studio.errors)
    assert not source_error.has_error()  # a copy of golden not edited yet: no red
    studio.mutants.source.setPlainText(studio.draft.golden_source + "# not a bug yet\n")
    qtbot.waitUntil(lambda: "only in whitespace, comments" in source_error.full_text())
    studio.mutants.name.clear()
    qtbot.keyClicks(studio.mutants.name, "subtracts-one")
    studio.mutants.source.setPlainText(studio.draft.golden_source.replace("return x + 1", "return x - 1"))
    qtbot.waitUntil(lambda: not source_error.text())
    assert studio.mutants.list.item(2).text() == "subtracts-one"
    assert studio.mutants.diff.char_marks("right") == ["-"]
    studio.mutants.list.setCurrentRow(0)
    studio.mutants.delete_button.click()
    assert [m.name for m in studio.draft.mutants] == ["adds-two", "subtracts-one"]
    studio.mutants.duplicate_button.click()
    assert studio.draft.mutants[-1].name == "adds-two-2"
    studio.mutants.equivalent.setChecked(True)
    assert studio.draft.mutants[-1].equivalent
    assert studio.save_to(pack_dir)
    names = sorted(p.stem for p in (pack_dir / "mutants").iterdir())
    assert names == ["adds-two", "adds-two-2", "subtracts-one"]
    assert [m.name for m in load_pack(pack_dir).scored_mutants] == ["adds-two", "subtracts-one"]


def test_save_keeps_the_authors_comments_and_changes_only_the_edited_lines(
        make_studio, tmp_path, qtbot):
    commented = manifest().replace('title = "Add one"', 'title = "Add one"  # in the browser')
    commented = "# Written by hand: keep these notes.\n" + commented.replace(
        "\n[[mutants]]\n", "\n# the bug below forgets the + 1\n[[mutants]]\n", 1)
    folder = write_pack(tmp_path / "packs", toml=commented)
    studio = make_studio()
    studio.open_path(folder)
    studio.form.title.clear()
    qtbot.keyClicks(studio.form.title, "Add one more")
    studio.mutants.list.setCurrentRow(1)
    studio.mutants.hint.clear()
    qtbot.keyClicks(studio.mutants.hint, "Two is too many.")
    assert studio.save_to(folder)
    saved = (folder / "problem.toml").read_text(encoding="utf-8")
    assert saved == commented.replace('title = "Add one"', 'title = "Add one more"').replace(
        'hint = "Look closely."', "HINT", 2).replace("HINT", 'hint = "Look closely."', 1).replace(
        "HINT", 'hint = "Two is too many."')


def test_new_pack_wizard_checks_as_you_type(qtbot):
    dialog = NewPackDialog()
    qtbot.addWidget(dialog)
    assert not dialog.create_button.isEnabled()
    qtbot.keyClicks(dialog.title, "Add One")
    assert dialog.slug.text() == "add-one"  # follows the title
    qtbot.keyClicks(dialog.signature, "add_one(x)")
    assert "function_signature: " in dialog.errors["function_signature"].text()
    dialog.signature.setText("def add_one(x: int) -> int")
    dialog.check()
    assert dialog.create_button.isEnabled()
    dialog.golden.setPlainText("def other(x):\n    return x\n")
    assert "does not define add_one()" in dialog.errors["golden"].text()
    dialog.golden.setPlainText("def add_one(x: int) -> int:\n    return x + 1\n")
    assert dialog.create_button.isEnabled()
    draft = dialog.draft()
    assert (draft.slug, draft.difficulty) == ("add-one", "Easy")


def test_validate_shows_the_kill_matrix_survivors_and_subset(make_studio, pack_dir, qtbot):
    studio = make_studio(ScriptedBackend(killed={"returns-same"}))
    studio.open_path(pack_dir)
    with qtbot.waitSignal(studio.validation_finished, timeout=10_000) as blocker:
        studio.validate()
    result = blocker.args[0]
    assert studio.tabs.currentIndex() == TAB_VALIDATE
    assert result.survivors == ("adds-two",)
    panel = studio.validation
    assert panel.chips["golden"].text() == "Golden passes"
    assert "1 survivor(s): possibly equivalent" in panel.chips["survivors"].text()
    assert panel.cell_text("test_a", "returns-same") == "✕"
    assert panel.cell_text("test_a", "adds-two") == "·"
    header = panel.table.horizontalHeaderItem(1)
    assert header.text() == "⚠ adds-two" and "possibly equivalent" in header.toolTip()
    assert panel.table.verticalHeaderItem(0).text() == "★ test_a"
    assert "adds-two" in panel.problems.text()



def test_the_matrix_legend_names_each_symbol_once_so_none_reads_as_a_separator(
        make_studio, pack_dir, qtbot):
    studio = make_studio(ScriptedBackend(killed={"returns-same"}))
    studio.open_path(pack_dir)
    with qtbot.waitSignal(studio.validation_finished, timeout=10_000):
        studio.validate()
    panel = studio.validation
    symbols = {panel.cell_text("test_a", "returns-same"), panel.cell_text("test_a", "adds-two"),
               panel.table.verticalHeaderItem(0).text()[0],
               panel.table.horizontalHeaderItem(1).text()[0]}
    assert symbols == {"✕", "·", "★", "⚠"}
    legend = panel.legend.text()
    assert {symbol: legend.count(symbol) for symbol in symbols} == dict.fromkeys(symbols, 1)

def test_generate_tick_and_add_candidates(make_studio, pack_dir, qtbot):
    studio = make_studio(ScriptedBackend(killed={"c001", "c002"}))
    studio.open_path(pack_dir)
    with qtbot.waitSignal(studio.generation_finished, timeout=10_000) as blocker:
        studio.generate()
    result = blocker.args[0]
    assert studio.tabs.currentIndex() == TAB_GENERATE
    panel = studio.candidates
    assert panel.tree.topLevelItemCount() == len(result.candidates) >= 3
    assert [panel.tree.topLevelItem(i).text(4) for i in range(3)] == ["killed", "killed", "survived"]
    assert panel.diff.changed_rows()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    panel.name.setText("off-by-one")
    panel.name.textEdited.emit("off-by-one")
    panel.hint.setText("Try zero.")
    panel.hint.textEdited.emit("Try zero.")
    panel.tick(0)
    panel.tick(1)
    assert panel.add_button.isEnabled() and panel.add_button.text() == "Add 2 ticked to the pack"
    panel.add_button.click()
    added = studio.draft.mutants[-2:]
    assert added[0].name == "off-by-one" and added[0].hint == "Try zero."
    assert added[0].source == result.candidates[0].source
    assert added[1].name == result.candidates[1].suggested_name()
    assert studio.mutants.list.count() == 4 and panel.ticked() == []


def test_an_older_run_never_overwrites_a_newer_one(make_studio, pack_dir, qtbot):
    hold = threading.Event()
    studio = make_studio(ScriptedBackend(hold=hold))
    studio.open_path(pack_dir)
    results = []
    studio.generation_finished.connect(results.append)
    first = studio.generate()
    second = studio.generate()
    assert second > first
    hold.set()
    qtbot.waitUntil(lambda: studio.tasks.pool.activeThreadCount() == 0 and len(results) == 1)
    qtbot.wait(100)
    assert len(results) == 1


def test_save_export_publish_and_the_browser_shows_it(make_window, pack_dir, tmp_path, qtbot):
    window = make_window()
    menu_action = next(a for a in window.menuBar().actions()[0].menu().actions()
                       if a.text() == "&Author studio…")
    assert menu_action.shortcut().toString() == "Ctrl+Shift+A"
    menu_action.trigger()
    studio = window.studio
    try:
        assert studio.isVisible()
        studio.open_path(pack_dir)
        qtbot.keyClicks(studio.form.title, " (authored)")
        out = tmp_path / "saved" / "add-one"
        assert studio.save_to(out)
        assert load_pack(out).title == "Add one (authored)"
        zipped = tmp_path / "add-one.zip"
        assert studio.export_to(zipped)
        assert load_pack(zipped).title == "Add one (authored)"
        assert window.browser.model.row_of("add-one") < 0
        with qtbot.waitSignal(window.catalog_refreshed, timeout=10_000):
            assert studio.publish()
        assert window.browser.model.row_of("add-one") >= 0
        summary = next(p for p in store.list_problems(window.catalog) if p.slug == "add-one")
        assert summary.origin == "imported" and summary.title == "Add one (authored)"
        assert "Published add-one" in studio.last_message
    finally:
        assert studio.shutdown()


def test_publishing_an_invalid_pack_says_why(make_studio, pack_dir, qtbot):
    studio = make_studio()
    studio.open_path(pack_dir)
    studio.mutants.list.setCurrentRow(0)
    studio.mutants.source.setPlainText(studio.draft.golden_source)
    assert not studio.publish()
    assert "Not published" in studio.last_message and "identical to golden" in studio.last_message


def test_a_zip_opens_and_save_goes_to_a_new_folder(make_studio, pack_dir, tmp_path):
    from qa_arena_desktop.authoring.pack_writer import export_zip

    zipped = export_zip(pack_dir, tmp_path / "p.zip")
    studio = make_studio()
    assert studio.open_path(zipped)
    assert studio.folder is None and "zip" in studio.last_message
    assert studio.save_to(tmp_path / "from-zip")
    assert load_draft(tmp_path / "from-zip").files() == load_draft(pack_dir).files()
    assert studio.draft.mutants[0].name == "returns-same"
    assert studio.tabs.isEnabled() and studio.toolbar_actions["publish"].isEnabled()
    assert Qt.ToolButtonStyle.ToolButtonTextBesideIcon  # toolbar built


def test_generate_shows_n_of_n_judged_as_verdicts_arrive(make_studio, pack_dir, qtbot):
    studio = make_studio(ScriptedBackend(killed={"c001"}))
    studio.open_path(pack_dir)
    seen: list[tuple[int, int]] = []
    studio.generation_progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(studio.generation_finished, timeout=10_000) as blocker:
        studio.generate()
    total = len(blocker.args[0].candidates)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] == (total, total))
    assert [done for done, _ in seen] == list(range(total + 1))  # one step per verdict
    assert studio.candidates.progress_text() == f"{total} of {total} judged"
    assert not studio.candidates.progress.isVisible() and not studio.candidates.cancel_button.isVisible()


def test_cancel_stops_generation_and_says_so_without_an_error(make_studio, pack_dir, qtbot):
    hold = threading.Event()
    studio = make_studio(ScriptedBackend(hold=hold))
    studio.open_path(pack_dir)
    studio.show()
    failures: list[str] = []
    studio.job_failed.connect(failures.append)
    studio.generate()
    panel = studio.candidates
    assert panel.cancel_button.isVisible() and panel.progress.isVisible()
    with qtbot.waitSignal(studio.generation_finished, timeout=10_000) as blocker:
        panel.cancel_button.click()
    result = blocker.args[0]
    assert result.check.cancelled and set(result.check.verdicts) == {None}
    assert "cancelled" in panel.state.text() and "0 of" in panel.state.text()
    assert failures == [] and panel.generate_button.isEnabled()
    assert panel.tree.topLevelItemCount() == len(result.candidates)  # still listed, unjudged
