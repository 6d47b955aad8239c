"""Checks of the learner's test file on the host, before any container starts.

Cheap, precise answers for the common mistakes (empty file, not UTF-8, too big,
a syntax error with its line, no test functions), so they are FAILURE at once
instead of a container round trip.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

MAX_TEST_FILE_BYTES = 256 * 1024


def read_test_file(path: Path) -> bytes:
    """A test file's bytes: a little over the limit at most, so the precheck can still say how
    it is too big without reading a huge file. (Standard library only: the judge client uses it.)"""
    with path.open("rb") as handle:
        return handle.read(MAX_TEST_FILE_BYTES * 4)


READS_TARGET_SOURCE = "reads-target-source"

# Ways of looking at the code under test instead of testing its behaviour.
_SOURCE_READING_ATTRIBUTES = frozenset({
    "getsource", "getsourcelines", "getsourcefile", "getfile", "findsource", "getblock",
    "__code__", "co_code", "co_consts", "co_names", "__file__", "__loader__", "__spec__",
    "__cached__", "get_source", "get_code", "get_data", "getlines", "findlinestarts",
})
_SOURCE_READING_MODULES = frozenset({"inspect", "dis", "linecache", "tokenize", "importlib",
                                     "marshal", "py_compile", "pkgutil"})


@dataclass(frozen=True)
class Precheck:
    text: str  # what is stored as the submission's code (never lost, even when invalid)
    problem: str = ""  # empty when the file may go to the judge
    flags: tuple[str, ...] = ()  # suspicious, shown to learner and teacher; never blocks


def decode_tests(data: str | bytes) -> Precheck:
    if isinstance(data, str):
        text = data
        size = len(text.encode("utf-8", "surrogatepass"))
    else:
        size = len(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Precheck(
                data.decode("utf-8", "replace"),
                f"your test file is not valid UTF-8 text (bad byte at offset {exc.start}); "
                "save it as UTF-8",
            )
    if size > MAX_TEST_FILE_BYTES:
        return Precheck(text, f"your test file is {size // 1024} KiB, over the "
                              f"{MAX_TEST_FILE_BYTES // 1024} KiB limit")
    problem = _check_source(text)
    return Precheck(text, problem, () if problem else source_flags(text))


def source_flags(text: str) -> tuple[str, ...]:
    """Flag a test file that reads the code under test (its source, bytecode or file).

    Static and deliberately broad: it flags for a human to look, it does not block.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _SOURCE_READING_ATTRIBUTES:
            return (READS_TARGET_SOURCE,)
        if isinstance(node, ast.Import) and any(
            alias.name.split(".")[0] in _SOURCE_READING_MODULES for alias in node.names
        ):
            return (READS_TARGET_SOURCE,)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            _SOURCE_READING_MODULES
        ):
            return (READS_TARGET_SOURCE,)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
            "target.py" in node.value or "__pycache__" in node.value
        ):
            return (READS_TARGET_SOURCE,)
    return ()


def _check_source(text: str) -> str:
    if not text.strip():
        return "your test file is empty: write at least one test function (def test_...)"
    try:
        tree = ast.parse(text, filename="test_submission.py")
    except SyntaxError as exc:
        detail = f"line {exc.lineno}"
        if exc.offset:
            detail += f", column {exc.offset}"
        return f"syntax error in your tests at {detail}: {exc.msg}"
    except ValueError as exc:  # e.g. null bytes
        return f"your test file cannot be parsed: {exc}"
    if not _has_tests(tree):
        return ("no test functions found: pytest runs functions named test_... "
                "(or methods test_... of classes named Test...)")
    return ""


def _has_tests(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            return True
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test") and any(
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            and item.name.startswith("test")
            for item in node.body
        ):
            return True
        if isinstance(node, ast.Assign | ast.ImportFrom | ast.Import):
            # `test_x = make_test()` or `from helpers import test_x`: leave it to pytest.
            names = [getattr(t, "id", "") for t in getattr(node, "targets", [])]
            names += [a.asname or a.name for a in getattr(node, "names", [])]
            if any(n.startswith("test") for n in names):
                return True
    return False
