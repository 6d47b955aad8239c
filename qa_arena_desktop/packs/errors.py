"""What a bad pack is reported as: one :class:`PackIssue` per problem, raised together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackIssue:
    file: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class PackError(Exception):
    """A pack could not be loaded; ``issues`` lists every problem found."""

    def __init__(self, origin: str, issues: list[PackIssue]) -> None:
        self.origin = origin
        self.issues = issues
        lines = "\n".join(f"  - {issue}" for issue in issues)
        super().__init__(f"invalid pack {origin}:\n{lines}")


class FileProblem(Exception):
    """One file of a pack cannot be used: a link, over the size limit, corrupt in the zip."""

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}")
