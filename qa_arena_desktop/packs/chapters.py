"""The learning path: problems grouped into ordered chapters by testing technique.

``problems/chapters.toml`` lists the chapters in order, each with a short lesson page
(Markdown with a worked example) and the score that unlocks the next chapter; a pack
names its chapter with ``chapter = "<id>"`` in ``problem.toml``. The format is in
docs/pack-format.md, "Chapters and the learning path".

Unlocking: chapter N+1 opens when the learner's average best score over chapter N's
problems (an untried problem counts 0) reaches chapter N's ``unlock_score``. Locking is
a setting, off by default: free practice shows every chapter open.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from qa_arena_desktop.domain.pack import SLUG_PATTERN

CHAPTERS_FILE = "chapters.toml"
DEFAULT_UNLOCK_SCORE = 70.0
NO_CHAPTER = ""  # problems of no chapter (imported packs, say): always open, listed last


class ChaptersError(Exception):
    """``chapters.toml`` is unreadable or wrong; the message names the field."""


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    lesson_md: str
    unlock_score: float


@dataclass(frozen=True)
class ChapterProgress:
    chapter: Chapter
    number: int  # 1-based position on the path
    total: int  # problems in the chapter
    solved: int  # problems scored 100
    average: float  # mean best score, untried = 0
    unlocked: bool

    def short(self) -> str:
        """The browser's chapter list entry: position, title, problems solved."""
        state = "" if self.unlocked else "  (locked)"
        return f"{self.number}. {self.chapter.title} · {self.solved}/{self.total}{state}"

    def describe(self) -> str:
        state = "" if self.unlocked else "  (locked)"
        return (f"{self.number}. {self.chapter.title}: {self.solved} of {self.total} solved, "
                f"average {self.average:.0f}{state}")


@dataclass(frozen=True)
class _Scored:
    """What progress needs of a problem (``catalog.store.ProblemSummary`` has it)."""

    chapter: str
    best_score: float | None


def load_chapters(problems_dir: Path) -> list[Chapter]:
    """The chapters in path order; ``[]`` when the folder has no chapters file."""
    path = problems_dir / CHAPTERS_FILE
    if not path.is_file():
        return []
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChaptersError(f"{CHAPTERS_FILE}: {exc}") from None
    default = raw.get("unlock_score", DEFAULT_UNLOCK_SCORE)
    chapters: list[Chapter] = []
    for index, entry in enumerate(raw.get("chapters") or []):
        where = f"{CHAPTERS_FILE}: chapters[{index}]"
        if not isinstance(entry, dict):
            raise ChaptersError(f"{where}: must be a table")
        ident, title, lesson = entry.get("id"), entry.get("title"), entry.get("lesson")
        if not isinstance(ident, str) or not re.match(SLUG_PATTERN, ident):
            raise ChaptersError(f"{where}.id: must look like 'fakes-and-mocks'")
        if not isinstance(title, str) or not title.strip():
            raise ChaptersError(f"{where}.title: missing")
        if not isinstance(lesson, str) or ".." in PurePosixPath(lesson).parts or (
                lesson.startswith("/")):
            raise ChaptersError(f"{where}.lesson: must be a relative path inside problems/")
        try:
            lesson_md = (problems_dir / lesson).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ChaptersError(f"{where}.lesson: cannot read {lesson}: {exc}") from None
        score = entry.get("unlock_score", default)
        if not isinstance(score, int | float) or not 0 <= score <= 100:
            raise ChaptersError(f"{where}.unlock_score: must be a number from 0 to 100")
        if any(c.id == ident for c in chapters):
            raise ChaptersError(f"{where}.id: {ident!r} is used twice")
        chapters.append(Chapter(ident, title.strip(), lesson_md, float(score)))
    return chapters


def chapter_progress(chapters: Sequence[Chapter], problems: Iterable[object],
                     locking: bool = False) -> list[ChapterProgress]:
    """Each chapter's progress, in order; with ``locking`` off every chapter is open."""
    scored = [_Scored(str(getattr(p, "chapter", "") or ""), getattr(p, "best_score", None))
              for p in problems]
    result: list[ChapterProgress] = []
    previous_done = True
    for number, chapter in enumerate(chapters, start=1):
        mine = [p for p in scored if p.chapter == chapter.id]
        total = len(mine)
        best = [p.best_score or 0.0 for p in mine]
        average = sum(best) / total if total else 0.0
        result.append(ChapterProgress(
            chapter=chapter, number=number, total=total,
            solved=sum(1 for b in best if b >= 100.0), average=average,
            unlocked=previous_done or not locking))
        previous_done = previous_done and (total == 0 or average >= chapter.unlock_score)
    return result


def locked_chapters(progress: Sequence[ChapterProgress]) -> set[str]:
    return {p.chapter.id for p in progress if not p.unlocked}
