"""Overall progress and the doctor's advice (plain functions, no Docker needed)."""

from __future__ import annotations

from qa_arena_desktop.catalog.store import ProblemSummary
from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.judging.engine import EngineInfo
from qa_arena_desktop.judging.image import ImageStatus
from qa_arena_desktop.practice.doctor import (
    DockerHealth,
    engine_fix_steps,
    error_advice,
)
from qa_arena_desktop.practice.progress import overall_progress


def _problem(slug: str, best: float | None, attempts: int) -> ProblemSummary:
    return ProblemSummary(slug=slug, title=slug.title(), difficulty=Difficulty.EASY, mutants=3,
                          tags=(), best_score=best, attempts=attempts, origin="bundled")


def test_progress_counts_solved_attempted_and_the_average_best():
    progress = overall_progress([_problem("a", 100.0, 2), _problem("b", 65.0, 1),
                                 _problem("c", None, 0), _problem("d", None, 1)])
    assert (progress.total, progress.solved, progress.attempted) == (4, 1, 3)
    assert progress.average_best == 82.5
    assert progress.describe() == "1 of 4 solved · 3 attempted · average best 82.5"
    assert overall_progress([]).describe() == "0 of 0 solved"


def test_health_summary_and_readiness():
    engine = EngineInfo(reachable=True, version="27.0")
    ready = DockerHealth(engine=engine, image=ImageStatus(present=True, current=True))
    stale = DockerHealth(engine=engine, image=ImageStatus(present=True, current=False))
    down = DockerHealth(engine=EngineInfo(reachable=False, error="no engine"))
    assert ready.ready and ready.summary() == "Docker 27.0 · judge image ready"
    assert stale.image_buildable and stale.summary() == "Docker 27.0 · judge image out of date"
    assert not down.ready and not down.image_buildable and down.problems() == ["no engine"]


def test_fix_steps_are_specific_to_each_platform():
    assert any("systemctl" in step for step in engine_fix_steps("Linux"))
    assert any("colima" in step for step in engine_fix_steps("Darwin"))
    assert any("WSL 2" in step for step in engine_fix_steps("Windows"))


def test_error_advice_picks_the_button_that_helps():
    assert error_advice("cancelled before the judge finished")[1:] == (False, False)
    assert error_advice("the judge image qa-arena-judge:0.1.0 is not built yet")[1:] == (True, True)
    assert error_advice("no Docker engine is reachable")[1:] == (True, False)
