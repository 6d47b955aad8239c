"""What each submission flag means, in words a learner and a teacher both read.

A flag marks a submission for a human to look at; it never changes the verdict or the
score. Flags come from the static check (``precheck``), from the test process's audit
hooks (``judge/qa_judge/audit.py``) and from the host's handling of what a run reported
(``disclosure``, ``detail_bounds``). Shown by the app's results panel, ``qa-arena judge``,
``qa-arena grade`` and every report (see docs/judge.md, "Flags").
"""

from __future__ import annotations

from qa_arena_desktop.judging import detail_bounds, disclosure
from qa_arena_desktop.judging.precheck import READS_TARGET_SOURCE

INTROSPECTS_CODE_UNDER_TEST = "introspects-code-under-test"  # the runner's protocol.INTROSPECTS

MEANINGS: dict[str, str] = {
    READS_TARGET_SOURCE: "the test file looks at the code under test's source or files "
                         "instead of only calling it",
    INTROSPECTS_CODE_UNDER_TEST: "while running, the tests read the code under test's "
                                 "source, bytecode or internals",
    disclosure.FLAG: "a failure message held the hidden code and was withheld",
    detail_bounds.FLAG: "the tests reported more detail than is kept; some per-test "
                        "results were cut (the verdicts are complete)",
}


def meaning(flag: str) -> str:
    """What ``flag`` means; a flag this version does not know is shown as it is."""
    return MEANINGS.get(flag, "an unrecognised flag")


def describe(flags: tuple[str, ...] | list[str]) -> list[str]:
    """One ``flag: meaning`` line per flag, in order."""
    return [f"{flag}: {meaning(flag)}" for flag in flags]
