"""The starter test file a learner sees the first time they open a problem.

It imports the function the way the judge expects (``from target import <name>``) and
holds one example test. The example is taken from the description's first fenced
Python block when it has the usual ``call(args)  # expected`` shape, so the starter
passes on the correct implementation from the first submit and shows the idiom;
otherwise a neutral placeholder test is written.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass

from qa_arena_desktop.packs.examples import is_expression, split_comment

_FENCE_RE = re.compile(r"^```[ \t]*(?:python|py|python3)?[ \t]*\n(.*?)^```", re.M | re.S)
_TWO_SPACES_RE = re.compile(r"\s{2,}")
_RAISES_RE = re.compile(r"^raises\s+([A-Za-z_][A-Za-z0-9_.]*)")
_SINGLETONS = {"True", "False", "None"}


@dataclass(frozen=True)
class Example:
    """One ``call  # expected`` line from the description."""

    call: str
    expected: str = ""  # a Python expression; empty when ``raises`` is set
    raises: str = ""  # exception name for "# raises ValueError"
    imports: tuple[str, ...] = ()  # import lines from the same code block


def _calls_function(code: str, function_name: str) -> bool:
    try:
        node = ast.parse(code, mode="eval").body
    except SyntaxError:
        return False
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == function_name)


def _bound_by(imports: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for line in imports:
        for node in ast.walk(ast.parse(line)):
            if isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    return names


def _self_contained(texts: tuple[str, ...], function_name: str, imports: tuple[str, ...]) -> bool:
    """Whether the example needs no name but the function, builtins and its block's imports
    (``retry(Flaky(...), sleep=waits.append)`` needs ``waits`` from an earlier line)."""
    known = {function_name, *dir(builtins), *_bound_by(imports)}
    for text in texts:
        for node in ast.walk(ast.parse(text, mode="eval")):
            if isinstance(node, ast.Name) and node.id not in known:
                return False
    return True


def _expected_expression(comment: str) -> str:
    """The expected value in a comment like ``"a b"   (note)``; '' when none parses."""
    first = _TWO_SPACES_RE.split(comment, maxsplit=1)[0]
    for candidate in (first, comment):
        if candidate and is_expression(candidate):
            return candidate
    return ""


def examples_from_description(function_name: str, description_md: str) -> list[Example]:
    """Every ``call(...)  # expected`` example of ``function_name`` in fenced code blocks."""
    found: list[Example] = []
    for block in _FENCE_RE.findall(description_md):
        imports = tuple(
            line.strip() for line in block.splitlines()
            if re.match(r"^\s*(from\s+\S+\s+)?import\s+", line) and _is_statement(line.strip())
        )
        for line in block.splitlines():
            parts = split_comment(line)
            if parts is None:
                continue
            code, comment = parts
            if not _calls_function(code, function_name):
                continue
            raises = _RAISES_RE.match(comment)
            if raises:
                if _self_contained((code, raises.group(1)), function_name, imports):
                    found.append(Example(call=code, raises=raises.group(1), imports=imports))
                continue
            expected = _expected_expression(comment)
            if expected and _self_contained((code, expected), function_name, imports):
                found.append(Example(call=code, expected=expected, imports=imports))
    return found


def _is_statement(line: str) -> bool:
    try:
        ast.parse(line)
    except SyntaxError:
        return False
    return True


def _assertion(example: Example) -> list[str]:
    if example.raises:
        return [f"    with pytest.raises({example.raises}):", f"        {example.call}"]
    operator = "is" if example.expected in _SINGLETONS else "=="
    return [f"    assert {example.call} {operator} {example.expected}"]


def starter_tests(function_name: str, description_md: str = "") -> str:
    """The starter file: a docstring, the imports, and one example test."""
    examples = examples_from_description(function_name, description_md)
    # A plain equality is the clearest first example; fall back to a "raises" one.
    example = next((e for e in examples if not e.raises), examples[0] if examples else None)
    lines = [
        f'"""Tests for {function_name}.',
        "",
        "Every test must pass on the correct code. A hidden",
        "buggy version is caught (killed) when a test fails on it.",
        "Submit with Ctrl+Enter.",
        '"""',
        "",
    ]
    if example is not None and example.raises:
        lines.append("import pytest")
    if example is not None and example.imports:
        lines.extend(example.imports)
    if example is not None and (example.raises or example.imports):
        lines.append("")
    lines += [f"from target import {function_name}", "", ""]
    if example is not None:
        lines.append("def test_example_from_the_description():")
        lines.extend(_assertion(example))
    else:
        lines += [
            "def test_it_can_be_called():",
            "    # Replace this with a real check: call the function, compare the result.",
            f"    assert callable({function_name})",
        ]
    return "\n".join(lines) + "\n"
