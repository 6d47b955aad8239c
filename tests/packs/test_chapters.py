"""The learning path: chapters.toml, lessons, progress and locks."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.packs.chapters import (
    ChaptersError,
    chapter_progress,
    load_chapters,
    locked_chapters,
)


@dataclass
class Problem:
    chapter: str
    best_score: float | None


def write_chapters(root: Path, body: str) -> Path:
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    (root / "lessons" / "a.md").write_text("# A\n\nworked example\n")
    (root / "lessons" / "b.md").write_text("# B\n")
    (root / "chapters.toml").write_text(body)
    return root


TWO = ('unlock_score = 60\n[[chapters]]\nid = "a"\ntitle = "A"\nlesson = "lessons/a.md"\n'
       '[[chapters]]\nid = "b"\ntitle = "B"\nlesson = "lessons/b.md"\nunlock_score = 90\n')


def test_chapters_load_in_order_with_their_lessons_and_thresholds(tmp_path):
    chapters = load_chapters(write_chapters(tmp_path, TWO))
    assert [(c.id, c.title, c.unlock_score) for c in chapters] == [("a", "A", 60.0), ("b", "B", 90.0)]
    assert "worked example" in chapters[0].lesson_md


def test_no_chapters_file_is_no_path(tmp_path):
    assert load_chapters(tmp_path) == []


@pytest.mark.parametrize("body, field", [
    ('[[chapters]]\nid = "Bad Id"\ntitle = "A"\nlesson = "lessons/a.md"\n', "chapters[0].id"),
    ('[[chapters]]\nid = "a"\ntitle = "A"\nlesson = "../a.md"\n', "chapters[0].lesson"),
    ('[[chapters]]\nid = "a"\ntitle = "A"\nlesson = "lessons/none.md"\n', "chapters[0].lesson"),
    ('[[chapters]]\nid = "a"\ntitle = "A"\nlesson = "lessons/a.md"\nunlock_score = 101\n',
     "chapters[0].unlock_score"),
    ("[[chapters\n", "chapters.toml"),
])
def test_a_wrong_chapters_file_names_the_field(tmp_path, body, field):
    with pytest.raises(ChaptersError, match=field.replace("[", r"\[").replace("]", r"\]")):
        load_chapters(write_chapters(tmp_path, body))


def test_progress_counts_untried_as_zero_and_unlocks_at_the_threshold(tmp_path):
    chapters = load_chapters(write_chapters(tmp_path, TWO))
    problems = [Problem("a", 100.0), Problem("a", None), Problem("b", 50.0), Problem("", 10.0)]
    first, second = chapter_progress(chapters, problems, locking=True)
    assert (first.total, first.solved, first.average, first.unlocked) == (2, 1, 50.0, True)
    assert (second.unlocked, locked_chapters([first, second])) == (False, {"b"})
    problems[1].best_score = 70.0  # average 85 >= 60
    assert all(p.unlocked for p in chapter_progress(chapters, problems, locking=True))


def test_free_practice_opens_every_chapter(tmp_path):
    chapters = load_chapters(write_chapters(tmp_path, TWO))
    progress = chapter_progress(chapters, [Problem("a", None)], locking=False)
    assert all(p.unlocked for p in progress)
    assert progress[1].describe() == "2. B: 0 of 0 solved, average 0"


def test_the_bundled_path_has_the_seven_techniques_in_order():
    chapters = load_chapters(paths.problems_dir())
    assert [c.id for c in chapters] == ["boundaries", "equivalence-classes", "errors", "tables",
                                        "state", "fakes", "properties"]
    assert all(c.lesson_md.startswith("# ") and "```python" in c.lesson_md for c in chapters)
