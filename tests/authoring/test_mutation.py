"""The mutation operators on small sources: compilable, distinct, in a fixed order."""

from __future__ import annotations

import ast
import copy

import pytest

from qa_arena_desktop.authoring import mutation
from qa_arena_desktop.authoring.mutation import GoldenError, generate_candidates, normalised
from qa_arena_desktop.authoring.operators import OPERATOR_NAMES, Mutation

# One small source per operator, and a change that operator must be able to make.
CASES = {
    "comparison-boundary": ("def f(a, b):\n    return a < b\n", "a <= b"),
    "comparison-flip": ("def f(a, b):\n    return a == b\n", "a != b"),
    "arithmetic": ("def f(a, b):\n    return a + b\n", "a - b"),
    "boolean-operator": ("def f(a, b):\n    return a and b\n", "a or b"),
    "remove-not": ("def f(a):\n    return not a\n", "return a"),
    "insert-not": ("def f(a):\n    if a:\n        return 1\n    return 2\n", "if not a:"),
    "constant": ("def f(a):\n    return a * 10\n", "a * 11"),
    "range-off-by-one": ("def f(n):\n    return list(range(n))\n", "range(n + 1)"),
    "slice-off-by-one": ("def f(s, k):\n    return s[:k]\n", "s[:k - 1]"),
    "return-value": ("def f(s: str) -> str:\n    return s.strip()\n", "return ''"),
    "remove-statement": ("def f(items):\n    items.sort()\n    return items\n", "pass"),
    "remove-branch": ("def f(a):\n    if a:\n        x = 1\n    else:\n        x = 2\n"
                      "    return x\n", "if a:\n        x = 1\n    return x"),
    "string-case": ("def f(s):\n    return s.lower()\n", "s.upper()"),
    "swap-arguments": ("def f(a, b):\n    return divmod(a, b)\n", "divmod(b, a)"),
}


def test_every_operator_has_a_case():
    assert set(CASES) == set(OPERATOR_NAMES)


@pytest.mark.parametrize("operator", sorted(CASES))
def test_each_operator_yields_compilable_distinct_code(operator: str):
    golden, expected = CASES[operator]
    candidates = generate_candidates(golden)
    mine = [c for c in candidates if c.operator == operator]
    assert mine, f"{operator} produced nothing"
    assert any(expected in c.source for c in mine), [c.source for c in mine]
    keys = [normalised(c.source) for c in candidates]
    assert len(set(keys)) == len(keys), "duplicates were not dropped"
    assert normalised(golden) not in keys, "a no-op candidate was kept"
    for candidate in candidates:
        compile(candidate.source, "mutant.py", "exec")
        assert candidate.line >= 1
        assert candidate.diff.startswith("--- golden.py\n+++ mutant\n")
        assert any(line.startswith("-") and not line.startswith("---")
                   for line in candidate.diff.splitlines()) or "+" in candidate.diff


def test_boolean_return_is_negated_and_bool_literal_flipped():
    sources = [c.source for c in generate_candidates("def f(a):\n    if a:\n        return True\n"
                                                      "    return a > 1\n")]
    assert any("return False" in s for s in sources)
    assert any("return not a > 1" in s for s in sources)


def test_comments_and_formatting_of_the_golden_are_kept():
    golden = ('"""Module doc."""\n\n\n# Why this function exists.\ndef f(a, b):  # trailing\n'
              "    total = a + b   # odd spacing kept\n    return total\n")
    candidate = next(c for c in generate_candidates(golden) if c.operator == "arithmetic")
    assert candidate.source == golden.replace("a + b", "a - b")
    assert candidate.line == 6
    changed = [line for line in candidate.diff.splitlines()[2:] if line[:1] in "+-"]
    assert changed == ["-    total = a + b   # odd spacing kept", "+    total = a - b   # odd spacing kept"]


def test_precedence_is_kept_when_a_not_is_removed():
    candidate = next(c for c in generate_candidates("def f(a, b, c):\n    return c and not (a or b)\n")
                     if c.operator == "remove-not")
    assert "c and (a or b)" in candidate.source


def test_docstrings_and_annotations_are_never_mutated():
    golden = 'def f(x: "list[int]" = None) -> int:\n    """Returns 1."""\n    return 7\n'
    for candidate in generate_candidates(golden):
        assert '"""Returns 1."""' in candidate.source
        assert "-> int" in candidate.source


def test_duplicate_candidates_are_dropped():
    golden = "def f():\n    x = 1\n    x = 1\n    return x\n"
    removed = [c for c in generate_candidates(golden) if c.operator == "remove-statement"]
    assert len(removed) == 1 and removed[0].line == 2  # the line-3 removal is the same module


def test_no_op_and_uncompilable_candidates_are_dropped(monkeypatch):
    def same(site):  # a no-op: the node replaced by a copy of itself
        return [Mutation("constant", "same", copy.deepcopy(site.node))] \
            if isinstance(site.node, ast.Constant) else []

    def broken(site):  # a return outside any function does not compile
        return [Mutation("remove-statement", "broken", ast.Return(value=None))] \
            if isinstance(site.node, ast.Assign) and site.function is None else []

    monkeypatch.setattr(mutation, "OPERATORS", (same, broken))
    assert generate_candidates("X = 1\n\n\ndef f():\n    return X\n") == []


def test_order_is_deterministic_and_by_line():
    golden = CASES["remove-branch"][0] + "\n\ndef g(a, b):\n    return a < b or a > 2\n"
    first = generate_candidates(golden)
    assert first == generate_candidates(golden)
    lines = [c.line for c in first]
    assert lines == sorted(lines)


def test_suggested_names_are_valid_mutant_names():
    import re

    from qa_arena_desktop.domain.pack import SLUG_PATTERN

    for candidate in generate_candidates(CASES["remove-branch"][0]):
        assert re.match(SLUG_PATTERN, candidate.suggested_name())


def test_a_golden_that_does_not_compile_is_refused():
    with pytest.raises(GoldenError, match="line 1"):
        generate_candidates("def f(:\n")


def test_every_bundled_golden_mutates_cleanly():
    from qa_arena_desktop import paths

    for golden in sorted(paths.problems_dir().glob("*/golden.py")):
        source = golden.read_text()
        candidates = generate_candidates(source)
        assert candidates, golden
        for candidate in candidates:
            assert normalised(candidate.source) != normalised(source)
