"""Golden against a mutant: the one place that drives ``difflib``.

Everything that compares two versions of a source goes through here: the
studio's side-by-side preview (aligned rows, changed lines and the characters
that changed inside them), the learner's graded hints (the changed lines, then a
unified diff), the candidate mutants' diffs (``qa-arena mutants generate``), and
the mutation-testing report's mutant locations (``classroom/mte.py``).

Why one module: the line *pairing* is easy to get wrong. Inside a block that
``difflib`` marks as replaced, pairing lines by their offset in the block pairs
a line the mutant inserted with the golden line it then changed. Here a replaced
block's lines are paired by similarity, in order (:func:`pair_lines`), and the
lines left over stand alone as inserted or deleted; every caller reads the same
rows (:func:`side_by_side`, :func:`changed_pairs`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Literal

Kind = Literal["equal", "replace", "delete", "insert"]
Span = tuple[int, int]  # (start, length) in the line
Opcode = tuple[str, int, int, int, int]  # difflib's (tag, i1, i2, j1, j2)
PAIRING_LIMIT = 3600  # cells of the similarity table; a bigger block pairs by offset
SIMILAR = 0.5  # lines less alike than this are not paired (one deleted, one inserted)


def opcodes(before: Sequence[str], after: Sequence[str]) -> list[Opcode]:
    """difflib's opcodes, without its "junk" heuristic (which hides changes in long files)."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [(tag, i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def similarity(before: str, after: str) -> float:
    """0 (nothing in common) to 1 (equal): how alike two lines are."""
    return difflib.SequenceMatcher(None, before, after, autojunk=False).ratio()


@dataclass(frozen=True)
class DiffRow:
    kind: Kind
    left_no: int | None  # 1-based line number in golden; None for a filler row
    left: str
    right_no: int | None
    right: str
    left_spans: tuple[Span, ...] = ()
    right_spans: tuple[Span, ...] = ()


def char_spans(before: str, after: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The changed character ranges of two versions of one line."""
    left: list[Span] = []
    right: list[Span] = []
    for tag, i1, i2, j1, j2 in opcodes(before, after):
        if tag == "equal":
            continue
        if i2 > i1:
            left.append((i1, i2 - i1))
        if j2 > j1:
            right.append((j1, j2 - j1))
    return tuple(left), tuple(right)


def pair_lines(left: Sequence[str], right: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """Pair the lines of a replaced block by similarity, in order; the rest stand alone.

    Pairing by offset (``zip``) would pair a removed docstring with the changed
    ``return`` line below it, or a line the mutant inserted with the golden line it
    then changed. Here the pairing maximises the summed similarity (``> SIMILAR``
    to count), keeping the order, by a small dynamic programme (blocks are a few
    lines). Blocks of equal length pair line by line (one line changed each).
    """
    if len(left) == len(right) or len(left) * len(right) > PAIRING_LIMIT:
        return list(zip_longest(range(len(left)), range(len(right))))

    def ratio(i: int, j: int) -> float:
        value = similarity(left[i], right[j])
        return value if value > SIMILAR else 0.0

    rows, cols = len(left), len(right)
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1], ratio(i, j) + best[i + 1][j + 1]
                             if ratio(i, j) else 0.0)
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < rows and j < cols:
        here = ratio(i, j)
        if here and best[i][j] == here + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, rows)] + [(None, k) for k in range(j, cols)]
    return pairs


def side_by_side(before: str, after: str) -> list[DiffRow]:
    """Rows aligning ``before`` (golden) and ``after`` (a mutant), fillers where one side has none."""
    a, b = before.splitlines(), after.splitlines()
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            rows += [DiffRow("equal", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k])
                     for k in range(i2 - i1)]
            continue
        for left_index, right_index in pair_lines(a[i1:i2], b[j1:j2]):
            if left_index is not None and right_index is not None:
                spans = char_spans(a[i1 + left_index], b[j1 + right_index])
                rows.append(DiffRow("replace", i1 + left_index + 1, a[i1 + left_index],
                                    j1 + right_index + 1, b[j1 + right_index], *spans))
            elif left_index is not None:
                line = a[i1 + left_index]
                rows.append(DiffRow("delete", i1 + left_index + 1, line, None, "", ((0, len(line)),)))
            elif right_index is not None:
                line = b[j1 + right_index]
                rows.append(DiffRow("insert", None, "", j1 + right_index + 1, line, (),
                                    ((0, len(line)),)))
    return rows


def changed_pairs(before: str, after: str) -> list[DiffRow]:
    """Only the rows that differ: a replaced line paired with its new version, or a
    line that was deleted or inserted alone (line numbers 1-based, None = no such line)."""
    return [row for row in side_by_side(before, after) if row.kind != "equal"]


def first_changed_line(before: str, after: str) -> int | None:
    """The golden line number of the first change (for the mutant list), None if identical."""
    for row in side_by_side(before, after):
        if row.kind != "equal":
            return row.left_no or row.right_no
    return None


def changed_range(before: Sequence[str], after: Sequence[str]) -> tuple[int, int, int, int] | None:
    """``(i1, i2, j1, j2)``: the smallest slices ``before[i1:i2]`` and ``after[j1:j2]`` that
    hold every change (so replacing the one by the other gives ``after``); None if equal."""
    changes = [op for op in opcodes(before, after) if op[0] != "equal"]
    if not changes:
        return None
    return changes[0][1], changes[-1][2], changes[0][3], changes[-1][4]


def unified_diff(before: str, after: str, from_name: str, to_name: str, context: int = 3) -> str:
    """A unified diff of two sources, every line ending in a newline ("" when equal)."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), from_name, to_name,
                                 n=context, lineterm="")
    return "".join(line + "\n" for line in lines)
