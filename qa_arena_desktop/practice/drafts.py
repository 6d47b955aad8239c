"""Per-problem drafts of the learner's tests, saved as plain files under ``paths.drafts_dir()``.

Drafts are files (``<slug>.py``) rather than catalog rows so that a learner can find and
copy them, and so that saving never competes with the judge for SQLite's write lock.
Writes are atomic (temporary file in the same folder, fsync, ``os.replace``): a crash
in the middle of a save leaves the previous draft intact, never half a file.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from qa_arena_desktop import paths
from qa_arena_desktop.files import write_atomically

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SUFFIX = ".py"


class DraftStore:
    """Load and save drafts; remembers what it last wrote so unchanged text is not rewritten."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._last_written: dict[str, str] = {}

    @property
    def directory(self) -> Path:
        if self._directory is None:
            return paths.drafts_dir()
        self._directory.mkdir(parents=True, exist_ok=True)
        return self._directory

    def path_for(self, slug: str) -> Path:
        if not _SLUG_RE.match(slug):
            raise ValueError(f"not a problem slug: {slug!r}")
        return self.directory / f"{slug}{SUFFIX}"

    def load(self, slug: str) -> str | None:
        """The saved draft, or None when there is none (or it cannot be read)."""
        try:
            with self.path_for(slug).open(encoding="utf-8", newline="") as handle:
                text = handle.read()  # newline="": CRLF drafts come back byte for byte
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        self._last_written[slug] = text
        return text

    def save(self, slug: str, text: str) -> bool:
        """Write the draft atomically; False when it was already saved with this text."""
        if self._last_written.get(slug) == text and self.path_for(slug).exists():
            return False
        write_atomically(self.path_for(slug), text)
        self._last_written[slug] = text
        return True

    def delete(self, slug: str) -> None:
        self._last_written.pop(slug, None)
        with contextlib.suppress(FileNotFoundError):
            self.path_for(slug).unlink()

    def slugs(self) -> list[str]:
        """Problems that have a draft, sorted."""
        return sorted(p.stem for p in self.directory.glob(f"*{SUFFIX}") if _SLUG_RE.match(p.stem))
