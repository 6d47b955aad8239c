"""What a judge backend promises: the :class:`Backend` protocol and the two ways a run
stops short (:class:`JudgeUnavailable`, :class:`JudgeCancelled`).

Plain types, no Docker: the judging service, pack validation and candidate checking
take any ``Backend`` (the Docker one in ``judging/docker_backend.py``, scripted fakes in
tests), and catch these exceptions without importing the engine code that raises them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from qa_arena_desktop.domain.judge_models import JudgeRequest, VariantRun


class JudgeUnavailable(Exception):
    """The judge cannot run (no engine, no image, engine died): never the learner's fault."""

    def __init__(self, message: str, advice: str = "") -> None:
        self.message = message
        self.advice = advice
        super().__init__(f"{message}. {advice}".strip() if advice else message)


class JudgeCancelled(Exception):
    """The run was cancelled by the user; its container is gone."""


class Backend(Protocol):
    def run(
        self,
        request: JudgeRequest,
        on_variant: Callable[[VariantRun], None],
        cancel: threading.Event | None = None,
        log: Callable[[str], None] = ...,
        on_start: Callable[[str], None] | None = None,
    ) -> None: ...
