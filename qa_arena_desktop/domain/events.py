"""The closed set of events a judge run emits, in order, to every subscriber.

``RunStarted`` once, then ``VariantStarted`` as a variant's run begins (from a backend
that says so; the others are queued) and ``VariantFinished`` for golden and each mutant
as it finishes (in completion order), then exactly one of ``RunFinished`` (the
submission reached SUCCESS, FAILURE or ERROR) or ``RunErrored`` (an unexpected
exception in the worker, turned into data). Each carries the submission id,
which is also the run tag the GUI uses to drop stale results.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from qa_arena_desktop.domain.judge_models import GoldenResult, JudgeResult, MutantResult


class RunStarted(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["started"] = "started"
    submission_id: str
    problem: str
    mutants: tuple[tuple[str, float], ...]  # (name, weight), in pack order


class VariantStarted(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["variant-started"] = "variant-started"
    submission_id: str
    variant: str  # golden or a mutant's name


class VariantFinished(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["variant"] = "variant"
    submission_id: str
    golden: GoldenResult | None = None
    mutant: MutantResult | None = None


class RunFinished(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["finished"] = "finished"
    submission_id: str
    result: JudgeResult


class RunErrored(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["errored"] = "errored"
    submission_id: str
    message: str


JudgeEvent = RunStarted | VariantStarted | VariantFinished | RunFinished | RunErrored
