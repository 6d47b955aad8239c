"""Small helpers for the CLI's human output: short, aligned, readable.

Each takes the stream to write to (standard output and error by default), so the judge
server can send the same text to the client that asked for it.

Whatever they print may hold a learner's text (test ids, failure messages, file
names): :func:`say` and :func:`error` escape control characters visibly and
:func:`print_json` writes terminal-safe JSON (:mod:`qa_arena_desktop.text_safety`).
"""

from __future__ import annotations

import sys
from typing import Any, Protocol

from qa_arena_desktop.domain.events import JudgeEvent, RunStarted, VariantFinished
from qa_arena_desktop.domain.judge_models import MutantResult
from qa_arena_desktop.domain.pack import MutantSource
from qa_arena_desktop.judging.bug_labels import BugLabels, bug_labels
from qa_arena_desktop.text_safety import json_text, one_line, visible


class TextOut(Protocol):
    """Where output goes: a text stream, or the judge server's channel to its client."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


def print_json(data: Any, out: TextOut | None = None) -> None:
    out = out or sys.stdout
    out.write(json_text(data, indent=2, default=str) + "\n")
    out.flush()


def say(line: str, out: TextOut | None = None) -> None:
    out = out or sys.stdout
    out.write(visible(line, multiline=True) + "\n")
    out.flush()


def error(message: str, err: TextOut | None = None) -> None:
    (err or sys.stderr).write(f"qa-arena: {visible(message, multiline=True)}\n")


class LiveJudgeOutput:
    """Prints each verdict the moment it is known (the CLI's version of the results panel).

    A learner reads this, so bugs are "Bug N" until killed by tests that passed on golden
    (``judging/bug_labels.py``); ``--json`` is the author's view and keeps the names.
    A mutant's verdict can arrive before golden's (runs go side by side): it waits for
    golden's line, which decides whether its kill counts."""

    def __init__(self, out: TextOut | None = None,
                 mutants: tuple[MutantSource, ...] = ()) -> None:
        self.width = 10
        self.out = out
        self.mutants = mutants  # the pack's scored mutants: numbering and titles
        self.labels = BugLabels()
        self.golden_outcome = ""  # "" until golden's verdict is in
        self.waiting: list[MutantResult] = []

    def __call__(self, event: JudgeEvent) -> None:
        if isinstance(event, RunStarted):
            names = [name for name, _ in event.mutants]
            self.labels = bug_labels(self.mutants, extra=names)
            self.width = max(len("golden"), self.labels.widest())
            say(f"judging {event.problem}: golden + {len(event.mutants)} mutants", self.out)
        elif isinstance(event, VariantFinished):
            if event.golden is not None:
                g = event.golden
                self.golden_outcome = g.outcome
                say(f"  {'golden':<{self.width}}  {g.outcome.upper():<9} "
                    f"{g.duration_ms:>6} ms", self.out)
                waiting, self.waiting = self.waiting, []
                for mutant in waiting:
                    self._mutant_line(mutant)
            elif event.mutant is not None:
                if self.golden_outcome:
                    self._mutant_line(event.mutant)
                else:
                    self.waiting.append(event.mutant)

    def _mutant_line(self, m: MutantResult) -> None:
        caught = self.golden_outcome == "passed" and m.status.counts_as_killed
        label = self.labels.revealed(m.name) if caught else self.labels.hidden(m.name)
        by = (f"  by {', '.join(one_line(t, 80) for t in m.killed_by[:3])}"
              if m.killed_by else "")
        say(f"  {label:<{self.width}}  {m.status.value:<9} {m.duration_ms:>6} ms{by}", self.out)

    def flush(self) -> None:
        """Print what still waits for golden (a run that ended without its verdict)."""
        waiting, self.waiting = self.waiting, []
        for mutant in waiting:
            self._mutant_line(mutant)
