"""Candidate mutants from a golden source: every operator at every site, cleaned up.

How a candidate's text is made (and why): the mutated module is first produced
as ``ast.unparse`` of the whole module, which is always a full, valid module.
Authors keep mutants as files next to their golden, though, and a mutant that
lost every comment and blank line of the golden makes a noisy pack and a noisy
diff. So the replacement node is also spliced into the author's own text at the
node's position; the splice is kept only when it parses to exactly the same AST
as the unparsed module (else the unparsed module is the source). The unified
``diff`` is then against the golden as written (or, after a fallback, against the
unparsed golden), so it shows the mutation and nothing else.

Dropped: candidates that do not compile, that equal golden once docstrings,
comments and formatting are ignored (an AST dump without docstrings, as the pack
loader compares), and duplicates of an earlier candidate. The order is fixed:
by line, column, then operator.
"""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from qa_arena_desktop.authoring.operators import (
    OPERATOR_NAMES,
    OPERATORS,
    FunctionNode,
    Mutation,
    Site,
)
from qa_arena_desktop.packs.loader import _without_docstrings
from qa_arena_desktop.text_diff import unified_diff

MAX_CANDIDATES = 400  # a golden is one function; beyond this the list is not useful


class GoldenError(ValueError):
    """The golden source cannot be mutated (it does not compile)."""


@dataclass(frozen=True)
class Candidate:
    operator: str
    line: int  # in the golden as written
    description: str
    source: str  # the full mutated module
    diff: str  # unified diff against golden
    column: int = 0
    key: str = field(default="", repr=False, compare=False)  # normalised AST, for dedup

    def suggested_name(self) -> str:
        """A valid mutant name (``[a-z0-9-]``) that says what changed and where."""
        return f"{self.operator}-line-{self.line}"


def _parse(source: str, name: str = "golden.py") -> ast.Module:
    try:
        return ast.parse(source, filename=name)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        where = f"line {line}: " if line else ""
        raise GoldenError(f"{name} does not compile: {where}{getattr(exc, 'msg', exc)}") from None


def normalised(source: str) -> str:
    """The AST dump without docstrings and redundant ``pass``: equal for equal behaviour.

    A ``pass`` next to other statements does nothing, so removing the first or the
    second of two identical statements gives the same candidate.
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if isinstance(body, list) and len(body) > 1:
                kept = [s for s in body if not isinstance(s, ast.Pass)]
                setattr(node, name, kept or body[:1])
    return _without_docstrings(tree)


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated: annotations and docstrings."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            skip(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            skip(node.returns)
        elif isinstance(node, ast.AnnAssign):
            skip(node.annotation)
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            skip(body[0])
    return skipped


def _sites(tree: ast.Module) -> Iterator[Site]:
    skipped = _skipped_nodes(tree)

    def visit(node: ast.AST, parent: ast.AST | None, function: FunctionNode | None) -> Iterator[Site]:
        if id(node) not in skipped:
            yield Site(node, parent, function)
        inner = node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else function
        for child in ast.iter_child_nodes(node):
            yield from visit(child, node, inner)

    yield from visit(tree, None, None)


@contextlib.contextmanager
def _swapped(parent: ast.AST, old: ast.AST, new: ast.AST) -> Iterator[None]:
    """Put ``new`` where ``old`` is in ``parent`` for the duration (no tree copies)."""
    for name, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, name, new)
            try:
                yield
            finally:
                setattr(parent, name, old)
            return
        if isinstance(value, list):
            for index, item in enumerate(value):
                if item is old:
                    value[index] = new
                    try:
                        yield
                    finally:
                        value[index] = old
                    return
    raise LookupError("node not found in its parent")


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    for match in re.finditer(rb"\n", data):
        starts.append(match.end())
    return starts


def _splice(golden: str, node: ast.AST, replacement: ast.AST) -> list[str]:
    """Texts of golden with ``node``'s span replaced (plain, then parenthesised)."""
    lineno, end_lineno = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if lineno is None or end_lineno is None or col is None or end_col is None:
        return []
    data = golden.encode("utf-8")  # AST columns are UTF-8 byte offsets
    starts = _line_starts(data)
    start = starts[lineno - 1] + col
    end = starts[end_lineno - 1] + end_col
    text = ast.unparse(replacement)
    if "\n" in text:
        indent = data[starts[lineno - 1]:start]
        if indent.strip():
            return []
        text = text.replace("\n", "\n" + indent.decode("utf-8"))
    options = [text] if isinstance(replacement, ast.stmt) else [text, f"({text})"]
    return [(data[:start] + option.encode("utf-8") + data[end:]).decode("utf-8") for option in options]


def _diff(before: str, after: str) -> str:
    return unified_diff(before, after, "golden.py", "mutant", context=1)


def _compiles(source: str) -> bool:
    try:
        compile(source, "mutant.py", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def _candidate(golden: str, unparsed_golden: str, tree: ast.Module, site: Site,
               mutation: Mutation) -> Candidate | None:
    assert site.parent is not None
    with _swapped(site.parent, site.node, mutation.replacement):
        unparsed = ast.unparse(tree)
    try:
        exact = ast.dump(ast.parse(unparsed))
    except SyntaxError:
        return None
    if not _compiles(unparsed):
        return None
    source, base = unparsed, unparsed_golden
    for spliced in _splice(golden, site.node, mutation.replacement):
        try:
            if ast.dump(ast.parse(spliced)) == exact:
                source, base = spliced, golden
                break
        except SyntaxError:
            continue
    return Candidate(
        operator=mutation.operator, line=getattr(site.node, "lineno", 0),
        column=getattr(site.node, "col_offset", 0), description=mutation.description,
        source=source, diff=_diff(base, source), key=normalised(unparsed),
    )


def generate_candidates(golden: str, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Every distinct, compilable candidate mutant of ``golden``, in a fixed order.

    Raises :class:`GoldenError` when ``golden`` does not compile.
    """
    tree = _parse(golden)
    if not _compiles(golden):
        raise GoldenError("golden.py does not compile")
    unparsed_golden = ast.unparse(tree)
    golden_key = normalised(golden)
    found: list[tuple[tuple[int, int, int, int], Candidate]] = []
    sequence = 0
    for site in _sites(tree):
        if site.parent is None:
            continue
        for operator in OPERATORS:
            for mutation in operator(site):
                candidate = _candidate(golden, unparsed_golden, tree, site, mutation)
                sequence += 1
                if candidate is None or candidate.key == golden_key:
                    continue
                rank = OPERATOR_NAMES.index(candidate.operator)
                found.append(((candidate.line, candidate.column, rank, sequence), candidate))
    found.sort(key=lambda item: item[0])
    seen: set[str] = set()
    result: list[Candidate] = []
    for _order, candidate in found:
        if candidate.key in seen:
            continue
        seen.add(candidate.key)
        result.append(candidate)
        if len(result) >= limit:
            break
    return result
