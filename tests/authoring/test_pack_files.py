"""Saving packs: stable bytes, a lossless round trip, zips that load, publishing to the catalog."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.authoring.draft import DraftError, field_errors, load_draft, new_pack
from qa_arena_desktop.authoring.pack_writer import export_zip, publish, write_pack
from qa_arena_desktop.authoring.toml_writer import dumps_manifest
from qa_arena_desktop.catalog import store
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.packs.loader import PackError, load_pack
from tests.packs.factory import write_pack as write_test_pack


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_pack(a, b) -> None:  # type: ignore[no-untyped-def]
    ignore = {"origin", "content_hash"}
    assert a.model_dump(exclude=ignore) == b.model_dump(exclude=ignore)


def test_every_bundled_pack_is_reproduced_byte_for_byte():
    for folder in sorted(p for p in paths.problems_dir().iterdir() if (p / "problem.toml").is_file()):
        for name, text in load_draft(folder).files().items():
            assert (folder / name).read_text(encoding="utf-8") == text, f"{folder.name}/{name}"


def test_round_trip_changes_nothing_and_saving_twice_is_byte_identical(tmp_path: Path):
    original = write_test_pack(tmp_path / "src")
    before = load_pack(original)
    out = tmp_path / "out" / "add-one"
    write_pack(load_draft(original), out)
    after = load_pack(out)
    _same_pack(before, after)
    first = _snapshot(out)
    report = write_pack(load_draft(out), out)
    assert report.written == () and report.removed == ()
    assert _snapshot(out) == first
    assert load_pack(out).content_hash == after.content_hash


def test_strings_with_quotes_newlines_and_unicode_survive(tmp_path: Path):
    draft = load_draft(write_test_pack(tmp_path / "src"))
    draft.title = 'Add "one" — ünïcode \\ back'
    draft.mutants[0].hint = "Line one\nline two\ttab\x01"
    draft.tags = ["numbers", "é"]
    draft.extra = {"author": "Ada", "reviewed": True, "meta": {"year": 2024}}
    out = tmp_path / "out"
    write_pack(draft, out)
    raw = tomllib.loads((out / "problem.toml").read_text(encoding="utf-8"))
    assert raw["title"] == draft.title and raw["mutants"][0]["hint"] == draft.mutants[0].hint
    assert raw["meta"] == {"year": 2024} and raw["tags"] == ["numbers", "é"]
    again = load_draft(out)
    written = (out / "problem.toml").read_text(encoding="utf-8")
    # Values are spelled as the writer spells them; the source file's own blank lines
    # (two before [[mutants]] in the factory's file) are the author's layout and stay.
    assert re.sub(r"\n{3,}", "\n\n", written) == dumps_manifest(again.manifest())
    assert again.files()["problem.toml"] == written


def test_field_order_follows_the_design(tmp_path: Path):
    text = (write_pack(new_pack("x-y", "X", "Easy", "def x(a)"), tmp_path / "x").folder
            / "problem.toml").read_text()
    keys = [line.split(" = ")[0] for line in text.splitlines() if " = " in line]
    assert keys == ["slug", "title", "difficulty", "function_signature", "description", "golden",
                    "reference_tests", "time_limit_s", "tags"]


def test_renamed_and_deleted_mutants_leave_no_stale_files(tmp_path: Path):
    folder = write_test_pack(tmp_path)
    draft = load_draft(folder)
    draft.mutants[0].rename("returns-input")
    del draft.mutants[1]
    report = write_pack(draft, folder)
    assert sorted(report.removed) == ["mutants/adds-two.py", "mutants/returns-same.py"]
    assert sorted(p.name for p in (folder / "mutants").iterdir()) == ["returns-input.py"]
    assert [m.name for m in load_pack(folder).mutants] == ["returns-input"]


def test_exported_zip_loads_as_the_same_pack(tmp_path: Path):
    folder = write_test_pack(tmp_path / "src")
    zipped = export_zip(folder, tmp_path / "export" / "add-one.zip")
    _same_pack(load_pack(folder), load_pack(zipped))
    opened = load_draft(zipped)
    assert opened.files() == load_draft(folder).files()


def test_publish_adds_the_pack_to_the_catalog(tmp_path: Path):
    folder = write_test_pack(tmp_path)
    catalog, _ = open_catalog()
    try:
        pack, outcome = publish(catalog, folder)
        assert outcome == "added"
        summary = next(p for p in store.list_problems(catalog) if p.slug == "add-one")
        assert summary.origin == "imported" and summary.mutants == 2
        assert publish(catalog, folder)[1] == "unchanged"
    finally:
        catalog.close()


def test_publishing_an_invalid_pack_is_refused(tmp_path: Path):
    draft = load_draft(write_test_pack(tmp_path / "src"))
    draft.mutants[0].source = draft.golden_source
    folder = write_pack(draft, tmp_path / "out").folder
    catalog, _ = open_catalog()
    try:
        with pytest.raises(PackError, match="identical to golden"):
            publish(catalog, folder)
    finally:
        catalog.close()


def test_new_pack_builder_and_inline_field_errors():
    draft = new_pack("add-one", "Add one", "Very Easy", "def add_one(x: int) -> int",
                     "def add_one(x: int) -> int:\n    return x + 1\n")
    starter = field_errors(draft)
    assert starter["mutants"] == ["add at least one mutant"]
    assert [m.split(":")[0] for m in starter["description"]] == ["still the starter text",
                                                                 "has no example"]
    draft.description_md = "# Add one\n\n>>> add_one(1)\n2\n"
    assert field_errors(draft) == {"mutants": ["add at least one mutant"]}
    mutant = draft.duplicate_golden("adds-two")
    assert field_errors(draft) == {"mutants[0].source": ["identical to golden: change something"],
                                   "mutants[0].hint": [field_errors(draft)["mutants[0].hint"][0]]}
    mutant.source = mutant.source.replace("x + 1", "x + 2")
    mutant.hint = "What is add_one(0)?"
    assert field_errors(draft) == {}
    draft.slug = "Add One"
    draft.title = ""
    draft.function_signature = "add_one(x)"
    mutant.weight = 0
    mutant.name = "bad name"
    draft.golden_source = "def other(:\n"
    errors = field_errors(draft)
    assert set(errors) >= {"slug", "title", "function_signature", "mutants[0].weight",
                           "mutants[0].name", "golden"}
    assert "lowercase" in errors["slug"][0]
    assert "does not compile: line 1" in errors["golden"][0]


def test_duplicate_names_and_missing_function_are_reported():
    draft = new_pack("p", "P", "Easy", "def p(x)", "def q(x):\n    return x\n")
    draft.add_mutant("m", "def q(x):\n    return 1\n")
    second = draft.add_mutant("m", "def q(x):\n    return 2\n")
    assert second.name == "m-2"  # add_mutant picks a free name
    second.rename("m")
    errors = field_errors(draft)
    assert "also the name of mutant 1" in errors["mutants[1].name"][0]
    assert "does not define p()" in errors["golden"][0]


def test_opening_something_that_is_not_a_pack_is_a_clear_error(tmp_path: Path):
    with pytest.raises(DraftError, match="problem.toml is missing"):
        load_draft(tmp_path)
    (tmp_path / "problem.toml").write_text("slug = \n")
    with pytest.raises(DraftError, match="not valid TOML"):
        load_draft(tmp_path)


def test_a_pack_with_an_api_support_files_and_goldens_round_trips(tmp_path: Path):
    source = paths.problems_dir() / "rate-limiter"
    out = tmp_path / "out" / "rate-limiter"
    write_pack(load_draft(source), out)
    assert _snapshot(out) == {name: data for name, data in _snapshot(source).items()
                              if "__pycache__" not in name}
    _same_pack(load_pack(source), load_pack(out))
    goldens = tmp_path / "out2" / "lru-cache"
    write_pack(load_draft(paths.problems_dir() / "lru-cache"), goldens)
    assert load_pack(goldens).alt_goldens == load_pack(paths.problems_dir() / "lru-cache").alt_goldens


def test_saving_a_pack_fsyncs_every_written_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Save goes through the package's one atomic write (files.write_if_changed)."""
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    report = write_pack(load_draft(write_test_pack(tmp_path / "src")), tmp_path / "out")
    assert len(report.written) == 6
    assert len(synced) >= len(report.written)
