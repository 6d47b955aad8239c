"""What a learner calls each hidden bug: "Bug 1" ... "Bug N" until it is caught or revealed.

A mutant's name describes its bug ("allows-leading-zeros", "matches-prefix"), so
showing it before the learner found the bug would give the answer away, hints or
not. Every learner-facing view (the app's results, kill matrix, hints, History,
the status bar, ``qa-arena judge`` without ``--json``) asks :func:`bug_labels`
what to show; author and instructor outputs (``--json``, the Author studio,
``validate``, ``grade``) keep the real names and never call it.

* Numbers follow the pack's order of scored mutants, so Bug 3 is the same bug in
  every run of the problem, live or reopened from History. A stored result may
  name mutants the pack no longer has: they are numbered after the pack's.
* A bug is *known* once a run whose tests passed on the correct code kills it
  (:func:`caught_in`), or once the hint ladder revealed it (its last rung, the
  full diff: see :data:`practice.hints.REVEALING_LEVEL`). A known bug shows the
  pack's learner-facing ``title`` when it has one, else its name.
* A run whose tests fail on the correct code reveals nothing: a test such as
  ``assert False`` "kills" every mutant and would otherwise read out every name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import MutantSource

HIDDEN_LABEL = "Bug {number}"
# How judging/service.py words a judge fault on one mutant (an ERROR submission's message).
_MUTANT_FAULT = re.compile(r"^the judge failed on mutant ([a-z0-9-]+):")


@dataclass(frozen=True)
class BugLabels:
    """The label of each mutant for one view of one problem (plain data, any thread)."""

    order: tuple[str, ...] = ()  # mutant names, numbering order
    known: frozenset[str] = frozenset()  # caught or revealed: shown by title or name
    titles: Mapping[str, str] = field(default_factory=dict)  # name -> learner-facing title

    def number(self, name: str) -> int:
        """1-based and stable; a name outside ``order`` gets the next free number."""
        try:
            return self.order.index(name) + 1
        except ValueError:
            return len(self.order) + 1

    def is_known(self, name: str) -> bool:
        return name in self.known

    def hidden(self, name: str) -> str:
        return HIDDEN_LABEL.format(number=self.number(name))

    def revealed(self, name: str) -> str:
        """The label once known: the pack's title, else the name."""
        return self.titles.get(name) or name

    def label(self, name: str) -> str:
        return self.revealed(name) if name in self.known else self.hidden(name)

    def labels(self) -> list[str]:
        return [self.label(name) for name in self.order]

    def widest(self) -> int:
        """Characters of the longest label any bug can get (aligning text output)."""
        return max((max(len(self.hidden(n)), len(self.revealed(n))) for n in self.order),
                   default=len(HIDDEN_LABEL.format(number=1)))


def caught_in(result: JudgeResult | None) -> frozenset[str]:
    """The mutants ``result`` killed, counted only when its tests passed on golden."""
    if result is None or result.golden is None or result.golden.outcome != "passed":
        return frozenset()
    return frozenset(m.name for m in result.mutants if m.status.counts_as_killed)


def bug_labels(mutants: Iterable[MutantSource], caught: Iterable[str] = (),
               revealed: Iterable[str] = (), extra: Iterable[str] = ()) -> BugLabels:
    """Labels for ``mutants`` (the pack's scored mutants, in pack order).

    ``caught``: killed by a run that passed on golden (see :func:`caught_in`);
    ``revealed``: uncovered by the hint ladder (empty when hints are off);
    ``extra``: names a stored result holds beyond the pack's, numbered after them."""
    mutants = tuple(mutants)
    order = [m.name for m in mutants]
    for name in extra:
        if name not in order:
            order.append(name)
    titles = {m.name: m.title for m in mutants if m.title}
    return BugLabels(order=tuple(order), known=frozenset(caught) | frozenset(revealed),
                     titles=titles)


def labels_for_result(mutants: Iterable[MutantSource], result: JudgeResult | None,
                      revealed: Iterable[str] = ()) -> BugLabels:
    """The labels a finished (or stored) ``result`` is shown with."""
    extra = [m.name for m in result.mutants] if result is not None else []
    return bug_labels(mutants, caught_in(result), revealed, extra)


def judge_message(message: str, labels: BugLabels) -> str:
    """An ERROR submission's message as a learner may read it: "the judge failed on mutant
    NAME: ..." names that mutant by its label. Only this message of the judge's own is
    rewritten, never the learner's text (test ids, assertion messages): rewriting those
    would confirm a learner's guess of a name (a test parametrized with the guess)."""
    match = _MUTANT_FAULT.match(message)
    if match is None or match.group(1) not in labels.order:
        return message
    return f"the judge failed on {labels.label(match.group(1))}:" + message[match.end():]
