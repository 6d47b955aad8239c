"""Golden against a mutant, side by side: aligned rows, changed lines and changed characters.

Plain data for the studio's mutant preview (and testable without Qt): two
``difflib.SequenceMatcher`` passes, one over lines to align the two files, one
over the characters of each changed pair of lines, so the view can shade the
line and mark exactly what changed inside it (``<`` became ``<=``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import zip_longest
from typing import Literal

Kind = Literal["equal", "replace", "delete", "insert"]
Span = tuple[int, int]  # (start, length) in the line


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
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            left.append((i1, i2 - i1))
        if j2 > j1:
            right.append((j1, j2 - j1))
    return tuple(left), tuple(right)


def _pair_lines(left: list[str], right: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair the lines of a changed block by similarity, in order; the rest stand alone.

    ``zip`` would pair a removed docstring with the changed ``return`` line below it.
    Here the pairing maximises the summed similarity (``ratio > 0.5`` to count),
    keeping the order, by a small dynamic programme (blocks are a few lines).
    """
    if len(left) == len(right) or len(left) * len(right) > 3600:
        return list(zip_longest(range(len(left)), range(len(right))))

    def ratio(i: int, j: int) -> float:
        value = difflib.SequenceMatcher(None, left[i], right[j], autojunk=False).ratio()
        return value if value > 0.5 else 0.0

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
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [DiffRow("equal", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k])
                     for k in range(i2 - i1)]
            continue
        for left_index, right_index in _pair_lines(a[i1:i2], b[j1:j2]):
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


def first_changed_line(before: str, after: str) -> int | None:
    """The golden line number of the first change (for the mutant list), None if identical."""
    for row in side_by_side(before, after):
        if row.kind != "equal":
            return row.left_no or row.right_no
    return None
