"""Draft files: atomic writes, loading, and no path tricks through the slug."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.practice.drafts import DraftStore


def test_drafts_live_in_the_data_dir_and_round_trip(isolated_home: Path):
    drafts = DraftStore()
    assert drafts.load("clamp") is None
    assert drafts.save("clamp", "def test_x():\n    assert True\n")
    assert drafts.path_for("clamp").parent == paths.drafts_dir()
    assert str(drafts.path_for("clamp")).startswith(str(isolated_home))
    assert DraftStore().load("clamp") == "def test_x():\n    assert True\n"
    assert drafts.slugs() == ["clamp"]


def test_saving_unchanged_text_does_not_rewrite_the_file(tmp_path: Path):
    drafts = DraftStore(tmp_path)
    assert drafts.save("clamp", "x")
    assert not drafts.save("clamp", "x")
    assert drafts.save("clamp", "y")


def test_a_failed_write_leaves_the_old_draft_and_no_temporary_file(tmp_path: Path, monkeypatch):
    drafts = DraftStore(tmp_path)
    drafts.save("clamp", "old")

    def broken_replace(src, dst):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        drafts.save("clamp", "new")
    assert (tmp_path / "clamp.py").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clamp.py"]


def test_windows_newlines_and_unicode_are_kept_exactly(tmp_path: Path):
    drafts = DraftStore(tmp_path)
    text = 'assert f("a\u00a0b") == "a b"\r\n'
    drafts.save("clamp", text)
    assert DraftStore(tmp_path).load("clamp") == text


@pytest.mark.parametrize("slug", ["../evil", "a/b", "", "UPPER", "x.py"])
def test_slugs_cannot_escape_the_drafts_folder(tmp_path: Path, slug: str):
    with pytest.raises(ValueError):
        DraftStore(tmp_path).path_for(slug)


def test_delete_removes_the_draft(tmp_path: Path):
    drafts = DraftStore(tmp_path)
    drafts.save("clamp", "x")
    drafts.delete("clamp")
    drafts.delete("clamp")  # twice is fine
    assert drafts.load("clamp") is None
