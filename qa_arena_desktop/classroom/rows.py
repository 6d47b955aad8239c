"""One graded file as plain data: the row every report and the resume state are made of.

A row is built either from the judge's :class:`JudgeResult` or, when grading the
file failed before or outside the judge (unreadable file, unexpected exception),
as an ERROR row with a message. Either way the batch goes on; the reports only
ever see rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.verdicts import SubmissionStatus

# Only these are final: an ERROR is the judge's fault (or ours), so a re-run tries it again.
FINAL_STATUSES = frozenset({SubmissionStatus.SUCCESS.value, SubmissionStatus.FAILURE.value})


@dataclass(frozen=True)
class GradeRow:
    """What one student's file got. ``file`` is the path as shown in the reports."""

    file: str
    status: str  # SUCCESS | FAILURE | ERROR
    score: float
    killed_mutants: int
    total_mutants: int
    message: str = ""
    flags: tuple[str, ...] = ()
    sha256: str = ""
    result: JudgeResult | None = field(default=None, compare=False)
    reused: bool = False  # taken from the state file: unchanged since the last run
    # --invalid drop: the tests left out because they fail on the correct code, as
    # (test id, golden's message); see classroom.invalid_tests
    dropped: tuple[tuple[str, str], ...] = ()

    @property
    def is_final(self) -> bool:
        """SUCCESS and FAILURE are the student's verdict; ERROR rows are retried next run."""
        return self.status in FINAL_STATUSES

    @classmethod
    def from_result(cls, file: str, sha256: str, result: JudgeResult) -> GradeRow:
        return cls(
            file=file, status=result.status.value, score=result.score,
            killed_mutants=result.killed_mutants, total_mutants=result.total_mutants,
            message=result.message, flags=tuple(result.flags), sha256=sha256, result=result,
            dropped=tuple(getattr(result, "dropped", ())),
        )

    @classmethod
    def error(cls, file: str, total_mutants: int, message: str, sha256: str = "") -> GradeRow:
        return cls(
            file=file, status=SubmissionStatus.ERROR.value, score=0.0, killed_mutants=0,
            total_mutants=total_mutants, message=message, sha256=sha256,
        )

    def to_state(self) -> dict[str, Any]:
        """A JSON-ready dict that :meth:`from_state` turns back into an equal row."""
        return {
            "file": self.file, "status": self.status, "score": self.score,
            "killed_mutants": self.killed_mutants, "total_mutants": self.total_mutants,
            "message": self.message, "flags": list(self.flags), "sha256": self.sha256,
            "result": self.result.model_dump(mode="json") if self.result is not None else None,
            "dropped": [list(pair) for pair in self.dropped],
        }

    @classmethod
    def from_state(cls, data: dict[str, Any], file: str | None = None) -> GradeRow:
        result = JudgeResult.model_validate(data["result"]) if data.get("result") else None
        return cls(
            file=file if file is not None else str(data["file"]), status=str(data["status"]),
            score=float(data["score"]), killed_mutants=int(data["killed_mutants"]),
            total_mutants=int(data["total_mutants"]), message=str(data.get("message", "")),
            flags=tuple(data.get("flags", ())), sha256=str(data.get("sha256", "")),
            result=result, reused=True,
            dropped=tuple((str(test), str(message)) for test, message in data.get("dropped", ())),
        )
