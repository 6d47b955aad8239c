"""Feedback profiles: what one student's report shows, decided before anything is rendered.

A student report is learner-facing and everything in it came from a hostile test file
(test ids, failure messages, the file's name). So the profile is applied first, to plain
data (:class:`StudentView`), and the renderers in :mod:`.student_reports` only escape
and lay out what is left. Three profiles (docs/classroom.md, "Student reports"):

* ``practice``: everything the app shows: the score, every bug with its verdict, the
  tests that caught it, the failure messages; a bug's name once it is caught (DESIGN.md:
  names are shown once a bug is killed), ``Bug N`` and its hint while it survives.
* ``graded``: the score, how many bugs were caught, every bug as ``Bug N`` (never its
  name), hints for the survivors; when tests fail on the correct code, which tests, but
  never an assertion message from that run (it would show the correct code's values).
* ``exam``: the score only.

Bugs are numbered in the pack's order of scored mutants, the same for every student.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import get_args

from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.pack import FeedbackProfile, Pack
from qa_arena_desktop.judging.bug_labels import labels_for_result
from qa_arena_desktop.packs.loader import PackError, load_pack

PROFILES: tuple[str, ...] = get_args(FeedbackProfile)
DEFAULT_PROFILE: FeedbackProfile = "graded"

# Why golden failed, in words that hold nothing of the run (graded profile).
GOLDEN_REASONS = {
    "failed": "failed on the correct code",
    "collect-error": "could not be loaded (a syntax or import error in the test file)",
    "no-tests": "no tests were collected: name your test functions test_...",
    "timeout": "hit the time limit on the correct code (an endless loop or a very slow test?)",
    "memory": "hit the memory limit on the correct code",
    "crashed": "crashed the test process on the correct code",
}


def pack_default(pack: Pack) -> FeedbackProfile | None:
    """The pack's ``feedback`` setting. A catalog problem does not keep it, so it is read
    back from the pack folder or zip it came from, when that still has the same content."""
    if pack.feedback is not None:
        return pack.feedback
    try:
        loaded = load_pack(pack.origin) if pack.origin else None
    except (PackError, OSError):
        return None
    if loaded is None or loaded.content_hash != pack.content_hash:
        return None
    return loaded.feedback


@dataclass(frozen=True)
class BugLine:
    label: str  # "Bug 2", or "Bug 2: keeps-leading-space" once caught (practice)
    caught: bool
    verdict: str  # what the student reads: "caught", "not caught", "caught (time limit)"
    caught_by: tuple[str, ...] = ()  # test ids (practice)
    message: str = ""  # the failing assertion on the bug (practice)
    hint: str = ""  # for a survivor (practice, graded)


@dataclass(frozen=True)
class StudentView:
    """One report's content after the profile: only what the student may see."""

    profile: str
    file: str
    problem: str
    score: float | None  # None: not graded yet (the judge failed, never the student)
    headline: str
    caught: int | None = None
    total: int | None = None
    notes: tuple[str, ...] = ()  # plain sentences, shown as paragraphs
    bugs: tuple[BugLine, ...] = ()
    dropped: tuple[tuple[str, str], ...] = ()  # (test id, message or "")
    failing_tests: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


VERDICTS = {"KILLED": "caught", "TIMEOUT": "caught (it ran past the time limit)",
            "MEMORY": "caught (it ran out of memory)", "SURVIVED": "not caught",
            "ERROR": "not judged"}


def _bugs(pack: Pack, row: GradeRow, profile: str) -> tuple[BugLine, ...]:
    """One line per scored bug, labelled by the app's rule (judging.bug_labels): "Bug N"
    until caught by tests that pass on the correct code; ``practice`` then adds the bug's
    title or name, ``graded`` never names it."""
    judged = {m.name: m for m in row.result.mutants} if row.result is not None else {}
    labels = labels_for_result(pack.scored_mutants, row.result)
    lines: list[BugLine] = []
    for mutant in pack.scored_mutants:
        result = judged.get(mutant.name)
        caught = result is not None and result.status.counts_as_killed
        verdict = VERDICTS.get(result.status.value, "not judged") if result else "not judged"
        label = labels.hidden(mutant.name)
        if profile == "practice":
            known = labels.is_known(mutant.name)
            lines.append(BugLine(
                label=f"{label}: {labels.revealed(mutant.name)}" if known else label,
                caught=caught, verdict=verdict,
                caught_by=tuple(result.killed_by) if caught and result else (),
                message=result.message if caught and result else "",
                hint="" if caught else mutant.hint))
        else:
            lines.append(BugLine(label=label, caught=caught, verdict=verdict,
                                 hint="" if caught else mutant.hint))
    return tuple(lines)


def _failure_notes(row: GradeRow, profile: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sentences, failing test ids) for a FAILURE row."""
    golden = row.result.golden if row.result is not None else None
    if golden is None:  # refused before any run (syntax, size, encoding): the file's own fault
        return (f"Your test file was not run: {row.message}",), ()
    failing = tuple(golden.failed_tests)
    if profile == "practice":
        return (f"Your tests must pass on the correct code first: {row.message}",), failing
    reason = GOLDEN_REASONS.get(golden.outcome, "did not pass on the correct code")
    if golden.outcome == "failed":
        more = golden.omitted_tests
        count = len(failing) + more
        return ((f"{count} of your tests {reason}, so no bug was checked. A test must pass on "
                 "the correct code before it can catch a bug."),), failing
    return (f"Your tests {reason}, so no bug was checked.",), ()


def student_view(pack: Pack, row: GradeRow, profile: str) -> StudentView:
    """What ``row``'s report shows under ``profile`` (one of :data:`PROFILES`). The file
    goes by its name only: the instructor's folders are none of the student's business."""
    if profile not in PROFILES:
        raise ValueError(f"unknown feedback profile {profile!r}")
    row = replace(row, file=PurePath(row.file).name or row.file)
    graded = row.status in ("SUCCESS", "FAILURE")
    score = row.score if graded else None
    if not graded:
        return StudentView(profile, row.file, pack.title, None,
                           "Not graded yet: the judge could not run your tests. This is not "
                           "your fault; your teacher will grade the file again.")
    if profile == "exam":
        return StudentView(profile, row.file, pack.title, score, f"Score: {row.score:.1f}")
    total = len(pack.scored_mutants)
    dropped = tuple((test, message if profile == "practice" else "")
                    for test, message in row.dropped)
    if row.status == "FAILURE":
        notes, failing = _failure_notes(row, profile)
        # no bug was checked: no bug list (its hints would be for bugs nobody tried)
        return StudentView(profile, row.file, pack.title, score,
                           "Your tests did not pass on the correct code", 0, total, notes,
                           (), dropped, failing)
    kept_notes: tuple[str, ...] = ()
    if dropped:
        kept_notes = (f"{len(dropped)} of your tests failed on the correct code and were left out; "
                 "the rest were scored.",)
    headline = ("Every bug caught" if row.killed_mutants == total
                else f"{row.killed_mutants} of {total} bugs caught")
    return StudentView(profile, row.file, pack.title, score, headline, row.killed_mutants,
                       total, kept_notes, _bugs(pack, row, profile), dropped)
