"""Graded hints: hint text, then the changed line, then the unified diff."""

from __future__ import annotations

from qa_arena_desktop.domain.pack import MutantSource
from qa_arena_desktop.practice.hints import (
    HintLevel,
    changed_lines,
    graded_hint,
    hints_allowed,
)

GOLDEN = "def f(text):\n    text = text.strip()\n    return text.lower()\n"
MUTANT = MutantSource(name="keeps-case", source="def f(text):\n    text = text.strip()\n    return text\n",
                      weight=1.0, hint="What about capital letters?")


def test_levels_reveal_more_and_more():
    hint = graded_hint(GOLDEN, MUTANT)
    assert hint.text_at(HintLevel.HINT) == "What about capital letters?"
    level_two = hint.text_at(HintLevel.CHANGED_LINE)
    assert "line 3 of the buggy version: return text" in level_two
    assert "lower" not in level_two  # the correct code waits for the diff
    assert "@@" not in level_two
    level_three = hint.text_at(HintLevel.DIFF)
    assert "-    return text.lower()" in level_three
    assert "+    return text" in level_three
    assert "--- correct implementation" in level_three
    assert hint.max_level is HintLevel.DIFF


def test_added_and_removed_lines_are_described():
    added = changed_lines("a\nb\n", "a\nb\nc\n")
    assert [c.describe() for c in added] == ["line 3 was added in the buggy version: c"]
    removed = changed_lines("a\nb\nc\n", "a\nc\n")
    assert [c.describe() for c in removed] == [
        "the buggy version lacks a line here (line 2 of the correct code)"]


def test_a_line_inserted_before_the_changed_line_is_described_as_added_not_as_the_change():
    # One replaced block for difflib (1 golden line -> 2 mutant lines): pairing by
    # offset called the inserted guard the new `return` and the changed return "added".
    golden = "def f(x):\n    return x + 1\n"
    mutant = "def f(x):\n    x = abs(x)\n    return x + 2\n"
    changed = changed_lines(golden, mutant)
    assert [c.describe() for c in changed] == ["line 2 was added in the buggy version: x = abs(x)",
                                               "line 3 of the buggy version: return x + 2"]
    assert [(c.golden_line, c.mutant_line, c.golden) for c in changed] == [
        (0, 2, ""), (2, 3, "    return x + 1")]


def test_a_missing_hint_text_still_gives_a_first_level():
    hint = graded_hint(GOLDEN, MUTANT.model_copy(update={"hint": ""}))
    assert "No hint" in hint.text_at(HintLevel.HINT)


def test_classrooms_turn_hints_off_with_the_environment():
    assert hints_allowed({})
    assert hints_allowed({"QA_ARENA_HINTS": "on"})
    for value in ("off", "OFF", "0", "false", "no"):
        assert not hints_allowed({"QA_ARENA_HINTS": value})
