"""Starter files: the right import, one example test from the description, valid Python."""

from __future__ import annotations

import ast
import sys
import types

import pytest

from qa_arena_desktop.packs.loader import load_packs, pack_dirs
from qa_arena_desktop.paths import problems_dir
from qa_arena_desktop.practice.starter import examples_from_description, starter_tests

DESCRIPTION = '''# Clamp

## Examples

```python
from decimal import Decimal

clamp(5, 0, 10)      # 5
clamp(2.5, 0, 10)    # 2.5   (floats too)
clamp("#", 0, 1)     # "#"
clamp(1, 10, 0)      # raises ValueError
```
'''


def test_examples_are_read_from_fenced_blocks_with_their_comments():
    examples = examples_from_description("clamp", DESCRIPTION)
    assert [(e.call, e.expected, e.raises) for e in examples] == [
        ("clamp(5, 0, 10)", "5", ""),
        ("clamp(2.5, 0, 10)", "2.5", ""),
        ('clamp("#", 0, 1)', '"#"', ""),
        ("clamp(1, 10, 0)", "", "ValueError"),
    ]
    assert examples[0].imports == ("from decimal import Decimal",)


def test_starter_imports_from_target_and_holds_one_example_test():
    text = starter_tests("clamp", DESCRIPTION)
    tree = ast.parse(text)
    tests = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert tests == ["test_example_from_the_description"]
    assert "from target import clamp" in text
    assert "assert clamp(5, 0, 10) == 5" in text
    assert "from decimal import Decimal" in text


def test_without_examples_the_starter_is_still_a_passing_test():
    text = starter_tests("mystery", "No examples here.")
    assert "from target import mystery" in text
    assert "assert callable(mystery)" in text
    ast.parse(text)


def test_only_raising_examples_give_a_pytest_raises_test():
    text = starter_tests("f", "```python\nf(0)   # raises ValueError\n```\n")
    assert "import pytest" in text
    assert "with pytest.raises(ValueError):\n        f(0)" in text


def test_booleans_are_compared_with_is():
    text = starter_tests("f", "```python\nf(1)   # True\n```\n")
    assert "assert f(1) is True" in text


def _bundled_packs():  # type: ignore[no-untyped-def]
    packs, _errors = load_packs(pack_dirs(problems_dir()))
    return packs


@pytest.mark.parametrize("pack", _bundled_packs(), ids=lambda p: p.slug)
def test_every_bundled_starter_passes_on_the_correct_implementation(pack, monkeypatch):
    """Run the starter's tests in-process against golden: the first submit is never a FAILURE."""
    target = types.ModuleType("target")
    exec(compile(pack.golden_source, "golden.py", "exec"), target.__dict__)  # noqa: S102
    monkeypatch.setitem(sys.modules, "target", target)
    for support in pack.support_files:  # helpers the pack ships next to the tests
        module = types.ModuleType(support.name.removesuffix(".py"))
        exec(compile(support.text, support.name, "exec"), module.__dict__)  # noqa: S102
        monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace: dict[str, object] = {"__name__": "test_starter"}
    exec(compile(starter_tests(pack.function_name, pack.description_md), "starter.py", "exec"),  # noqa: S102
         namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert tests
    for test in tests:
        test()  # type: ignore[operator]


def test_a_string_over_several_lines_in_an_example_block_is_skipped_cleanly():
    description = '```python\nclamp("""a\nb""", 0, 1)  # "ab"\nclamp(5, 0, 10)  # 5\n```\n'
    examples = examples_from_description("clamp", description)
    assert [(e.call, e.expected) for e in examples] == [("clamp(5, 0, 10)", "5")]
