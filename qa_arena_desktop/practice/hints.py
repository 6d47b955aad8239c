"""Graded hints for a mutant that survived: the author's hint, then the changed line, then the diff.

Each level gives away more, so a learner can stop at the smallest nudge that helps:
level 1 is the hint text from ``problem.toml``; level 2 shows the line the bug is on
(the buggy side only); level 3 is the full unified diff between the correct code and the
mutant (:mod:`text_diff`). Classrooms turn hints off with ``QA_ARENA_HINTS=off``.

Reaching the last level, the diff, *reveals* the bug: from then on the learner sees
its name (or title) instead of "Bug N" (see ``judging/bug_labels.py``). The hint and
the changed line are nudges; the diff shows the whole bug, so hiding its name after
that would only hide it from the learner. With hints off nothing is revealed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

from qa_arena_desktop import env_settings, text_diff
from qa_arena_desktop.domain.pack import MutantSource

HINTS_ENV = "QA_ARENA_HINTS"


def hints_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """False when the environment turns hints off (``QA_ARENA_HINTS=off``), e.g. in an exam."""
    return (env_settings.current() if environ is None else env_settings.load(environ)).hints


class HintLevel(IntEnum):
    NONE = 0
    HINT = 1
    CHANGED_LINE = 2
    DIFF = 3


REVEALING_LEVEL = HintLevel.DIFF  # the rung at which a bug's name is no longer withheld


@dataclass(frozen=True)
class ChangedLine:
    """One place where the mutant differs: line numbers are 1-based; 0 means "no such line"."""

    golden_line: int
    mutant_line: int
    golden: str
    mutant: str

    def describe(self) -> str:
        """The buggy side only: the correct code is kept back for the last level (the diff)."""
        if self.mutant_line == 0:
            return (f"the buggy version lacks a line here (line {self.golden_line} "
                    "of the correct code)")
        if self.golden_line == 0:
            return f"line {self.mutant_line} was added in the buggy version: {self.mutant.strip()}"
        return f"line {self.mutant_line} of the buggy version: {self.mutant.strip()}"


@dataclass(frozen=True)
class GradedHint:
    mutant: str
    hint: str
    changed: tuple[ChangedLine, ...]
    diff: str

    @property
    def max_level(self) -> HintLevel:
        return HintLevel.DIFF if self.diff else HintLevel.HINT

    def text_at(self, level: HintLevel) -> str:
        """Everything revealed up to ``level``, as plain text (for tooltips and tests)."""
        parts: list[str] = []
        if level >= HintLevel.HINT:
            parts.append(self.hint or "No hint was written for this bug.")
        if level >= HintLevel.CHANGED_LINE and self.changed:
            parts.append("\n".join(c.describe() for c in self.changed))
        if level >= HintLevel.DIFF and self.diff:
            parts.append(self.diff)
        return "\n\n".join(parts)


def changed_lines(golden_source: str, mutant_source: str) -> tuple[ChangedLine, ...]:
    """The lines that differ: a replaced line paired with its new version (by similarity,
    as the studio's preview pairs them), an inserted or a deleted line alone."""
    return tuple(
        ChangedLine(golden_line=row.left_no or 0, mutant_line=row.right_no or 0,
                    golden=row.left, mutant=row.right)
        for row in text_diff.changed_pairs(golden_source, mutant_source)
    )


def unified_diff(golden_source: str, mutant_source: str, label: str) -> str:
    """``label`` names the buggy side in the diff's header (what the learner calls it)."""
    return text_diff.unified_diff(golden_source, mutant_source, "correct implementation",
                                  f"buggy version: {label}")


def graded_hint(golden_source: str, mutant: MutantSource, label: str = "") -> GradedHint:
    """``label``: how the diff names the buggy version (default: the mutant's name; the
    diff is the revealing level, so the app passes the revealed label)."""
    return GradedHint(
        mutant=mutant.name, hint=mutant.hint.strip(),
        changed=changed_lines(golden_source, mutant.source),
        diff=unified_diff(golden_source, mutant.source, label or mutant.name),
    )
