"""A backend that reports whatever a test scripts: hostile or malformed runs, no Docker."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from qa_arena_desktop.domain.judge_models import JudgeRequest, VariantRun

Script = Callable[[JudgeRequest], list[VariantRun]]


@dataclass
class ScriptedRuns:
    """Calls ``script(request)`` and hands each run it returns to the service."""

    script: Script
    requests: list[JudgeRequest] = field(default_factory=list)

    def run(self, request: JudgeRequest, on_variant: Callable[[VariantRun], None],
            cancel: threading.Event | None = None,
            log: Callable[[str], None] = lambda _l: None, on_start=None) -> None:
        self.requests.append(request)
        for run in self.script(request):
            on_variant(run)
