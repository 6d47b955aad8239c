"""Small helpers for the CLI's human output: short, aligned, readable."""

from __future__ import annotations

import json
import sys
from typing import Any

from qa_arena_desktop.judging.events import JudgeEvent, RunStarted, VariantFinished


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def error(message: str) -> None:
    sys.stderr.write(f"qa-arena: {message}\n")


class LiveJudgeOutput:
    """Prints each verdict the moment it is known (the CLI's version of the results panel)."""

    def __init__(self) -> None:
        self.width = 10

    def __call__(self, event: JudgeEvent) -> None:
        if isinstance(event, RunStarted):
            self.width = max([len("golden"), *(len(name) for name, _ in event.mutants)])
            print(f"judging {event.problem}: golden + {len(event.mutants)} mutants", flush=True)
        elif isinstance(event, VariantFinished):
            if event.golden is not None:
                g = event.golden
                print(f"  {'golden':<{self.width}}  {g.outcome.upper():<9} {g.duration_ms:>6} ms",
                      flush=True)
            elif event.mutant is not None:
                m = event.mutant
                by = f"  by {', '.join(m.killed_by[:3])}" if m.killed_by else ""
                print(f"  {m.name:<{self.width}}  {m.status.value:<9} {m.duration_ms:>6} ms{by}",
                      flush=True)
