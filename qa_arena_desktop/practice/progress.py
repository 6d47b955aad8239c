"""The learner's overall progress, computed from the catalog's problem summaries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qa_arena_desktop.catalog.store import ProblemSummary


@dataclass(frozen=True)
class Progress:
    total: int
    solved: int  # best score 100
    attempted: int  # at least one submission
    average_best: float | None  # over problems with a scored submission

    def describe(self) -> str:
        text = f"{self.solved} of {self.total} solved"
        if self.attempted:
            text += f" · {self.attempted} attempted"
        if self.average_best is not None:
            text += f" · average best {self.average_best:.1f}"
        return text


def overall_progress(problems: Iterable[ProblemSummary]) -> Progress:
    problems = list(problems)
    scored = [p.best_score for p in problems if p.best_score is not None]
    return Progress(
        total=len(problems),
        solved=sum(1 for p in problems if p.solved),
        attempted=sum(1 for p in problems if p.attempts > 0),
        average_best=round(sum(scored) / len(scored), 1) if scored else None,
    )
