"""Resumable grading: what was already graded, so a re-run judges only what changed.

The state lives beside the report (``grades.csv`` -> ``grades.state.jsonl``) so it
travels with it, and a ``grades.json`` run from the same folder reuses it. It is
an append-only JSON-lines log, one line per graded file, flushed and fsync-ed
the moment the file is graded: a crash or Ctrl+C loses at most the files that
were in flight, and a torn last line is ignored when the log is read back. At
the start of each run the log is compacted (latest entry per file) and swapped
in atomically, so it never grows without bound. Rewriting one JSON document
after every file would be simpler, but on a USB stick it costs seconds per class.

An entry is reused only when the file's sha256, the pack's ``content_hash`` and
the problem are unchanged and its status is final (SUCCESS or FAILURE): ERROR
rows are the judge's fault and are judged again.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.files import write_atomically
from qa_arena_desktop.text_safety import json_text

STATE_VERSION = 1
STATE_SUFFIX = ".state.jsonl"


def state_path_for(report: Path) -> Path:
    """``class/grades.csv`` -> ``class/grades.state.jsonl`` (shared by .csv and .json)."""
    return report.with_name(report.stem + STATE_SUFFIX)


def file_key(path: Path) -> str:
    """The key a file is remembered by: its absolute path."""
    return str(path.resolve())


class GradeState:
    """The grading log of one report. Thread-safe; each ``record`` is durable on return."""

    def __init__(self, path: Path, policy: str = "") -> None:
        """``policy``: what else the grading depended on (``--invalid drop``); an entry
        is reused only under the same policy ("" = the default, as before it existed)."""
        self.path = path
        self.policy = policy
        self.ignored_lines = 0  # torn or foreign lines skipped while reading
        self._entries: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._load()
        self._compact()

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, key: str, sha256: str, problem: str, pack_hash: str,
               display: str) -> GradeRow | None:
        """The earlier row for this exact file content and pack, if it is final."""
        entry = self._entries.get(key)
        if entry is None or (entry.get("sha256"), entry.get("problem"), entry.get("pack_hash"),
                             entry.get("policy", "")) != (sha256, problem, pack_hash, self.policy):
            return None
        try:
            row = GradeRow.from_state(entry["row"], file=display)
        except (KeyError, TypeError, ValueError):
            return None  # written by an incompatible version: grade again
        return row if row.is_final else None

    def record(self, key: str, row: GradeRow, problem: str, pack_hash: str) -> None:
        """Remember ``row`` for ``key``; durable (flushed and fsync-ed) when this returns."""
        entry = {
            "version": STATE_VERSION, "key": key, "sha256": row.sha256, "problem": problem,
            "pack_hash": pack_hash, "policy": self.policy,
            "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "row": row.to_state(),
        }
        line = json_text(entry, separators=(",", ":")) + "\n"
        with self._lock:
            self._entries[key] = entry
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                self.ignored_lines += 1
                continue
            if not isinstance(entry, dict) or entry.get("version") != STATE_VERSION or "key" not in entry:
                self.ignored_lines += 1
                continue
            self._entries[str(entry["key"])] = entry

    def _compact(self) -> None:
        """Rewrite the log with one line per file, atomically (temp file + rename)."""
        if not self.path.exists():
            return
        write_atomically(self.path, "".join(
            json_text(entry, separators=(",", ":")) + "\n"
            for entry in self._entries.values()
        ))
