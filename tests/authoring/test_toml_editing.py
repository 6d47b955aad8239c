"""Saving an existing pack edits its ``problem.toml`` in place: the author's comments survive."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from qa_arena_desktop.authoring.draft import load_draft
from qa_arena_desktop.authoring.pack_writer import write_pack
from tests.packs.factory import write_pack as write_test_pack

COMMENTED = '''# Add one: the smallest pack there is.
# Keep the bugs in the order a learner meets them.
slug = "add-one"
title = "Add one"   # shown in the problem browser
difficulty = "Very Easy"
function_signature = "def add_one(x: int) -> int"
description = "description.md"
golden = "golden.py"
reference_tests = "reference_tests.py"
time_limit_s = 5
tags = [ "numbers" ]   # odd spacing on purpose

# ---- the bugs ----------------------------------------------------------------

[[mutants]]
name = "returns-same"  # forgets the + 1
file = "mutants/returns-same.py"
weight = 1.0
hint = "Look closely."
# the easiest: any assertion on a value catches it

[[mutants]]
# one off in the other direction
name = "adds-two"
file = "mutants/adds-two.py"
weight = 1.0
hint = "Look closely."
'''


def _pack(tmp_path: Path) -> Path:
    return write_test_pack(tmp_path, toml=COMMENTED)


def _changed(before: str, after: str) -> list[str]:
    """The lines removed and added between two texts (``-``/``+`` prefixed)."""
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:1] in "+-"]


def test_saving_an_unchanged_pack_keeps_the_file_and_writes_nothing(tmp_path: Path):
    folder = _pack(tmp_path)
    report = write_pack(load_draft(folder), folder)
    assert "problem.toml" not in report.written
    assert (folder / "problem.toml").read_text(encoding="utf-8") == COMMENTED


def test_a_value_edit_changes_only_its_line_and_keeps_every_comment(tmp_path: Path):
    folder = _pack(tmp_path)
    draft = load_draft(folder)
    draft.title = "Add one, carefully"
    draft.mutants[1].hint = "Count past one."
    report = write_pack(draft, folder)
    text = (folder / "problem.toml").read_text(encoding="utf-8")
    assert report.written == ("problem.toml",)
    assert _changed(COMMENTED, text) == [
        '- title = "Add one"   # shown in the problem browser',
        '+ title = "Add one, carefully"   # shown in the problem browser',
        '- hint = "Look closely."',
        '+ hint = "Count past one."',
    ]
    raw = tomllib.loads(text)
    assert raw["title"] == "Add one, carefully" and raw["mutants"][1]["hint"] == "Count past one."
    assert raw["mutants"][0]["hint"] == "Look closely."


def test_a_renamed_mutant_keeps_its_comments_and_a_new_key_goes_after_the_last_key(tmp_path: Path):
    folder = _pack(tmp_path)
    draft = load_draft(folder)
    draft.mutants[0].rename("forgets-to-add")
    draft.mutants[0].equivalent = True
    draft.extra["author"] = "Ada"
    write_pack(draft, folder)
    text = (folder / "problem.toml").read_text(encoding="utf-8")
    assert _changed(COMMENTED, text) == [
        '+ author = "Ada"',
        '- name = "returns-same"  # forgets the + 1',
        '+ name = "forgets-to-add"  # forgets the + 1',
        '- file = "mutants/returns-same.py"',
        '+ file = "mutants/forgets-to-add.py"',
        "+ equivalent = true",
    ]
    lines = text.splitlines()
    assert lines[lines.index('+ author = "Ada"'[2:]) - 1].startswith("tags = ")
    assert lines[lines.index("equivalent = true") + 1] == \
        "# the easiest: any assertion on a value catches it"


def test_deleting_and_adding_mutants_keeps_the_other_comments(tmp_path: Path):
    folder = _pack(tmp_path)
    draft = load_draft(folder)
    del draft.mutants[0]
    draft.add_mutant("adds-ten", "def add_one(x: int) -> int:\n    return x + 10\n", hint="Big.")
    draft.tags = None
    write_pack(draft, folder)
    text = (folder / "problem.toml").read_text(encoding="utf-8")
    for comment in ("# Add one: the smallest pack there is.", "# shown in the problem browser",
                    "# ---- the bugs", "# one off in the other direction"):
        assert comment in text
    assert "tags" not in text and "returns-same" not in text
    assert text.endswith('hint = "Look closely."\n\n[[mutants]]\nname = "adds-ten"\n'
                         'file = "mutants/adds-ten.py"\nweight = 1.0\nhint = "Big."\n')
    raw = tomllib.loads(text)
    assert [m["name"] for m in raw["mutants"]] == ["adds-two", "adds-ten"]
    again = load_draft(folder)
    assert write_pack(again, folder).written == ()
