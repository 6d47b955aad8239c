"""The package's one atomic write: all or nothing, fsynced (file and folder), skip if unchanged."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from qa_arena_desktop.files import AtomicWriteError, atomic_file, write_atomically, write_if_changed


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record what each os.fsync call synced ("file" or "folder"), then really sync it."""
    kinds: list[str] = []
    real = os.fsync

    def spy(fd: int) -> None:
        kinds.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    return kinds


def test_text_and_bytes_are_written_exactly_and_no_temporary_file_stays(tmp_path: Path):
    write_atomically(tmp_path / "a" / "b.txt", "line\r\nünï\n")
    write_atomically(tmp_path / "c.bin", b"\x00\xff")
    assert (tmp_path / "a" / "b.txt").read_bytes() == "line\r\nünï\n".encode()
    assert (tmp_path / "c.bin").read_bytes() == b"\x00\xff"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["b.txt", "c.bin"]


@pytest.mark.skipif(os.name == "nt", reason="Windows cannot open a folder to fsync it")
def test_the_file_and_then_its_folder_are_fsynced(tmp_path: Path, synced: list[str]):
    write_atomically(tmp_path / "x.txt", "x")
    assert synced == ["file", "folder"]


def test_a_failure_while_writing_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path):
    target = tmp_path / "report.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write(b"half of the new")
        raise RuntimeError("the caller failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_missing_folder_is_an_atomic_write_error_when_parents_are_not_made(tmp_path: Path):
    with pytest.raises(AtomicWriteError), atomic_file(tmp_path / "nope" / "x", parents=False):
        pass
    assert not (tmp_path / "nope").exists()


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path, synced: list[str]):
    target = tmp_path / "problem.toml"
    assert write_if_changed(target, "a = 1\n")
    before = target.stat().st_mtime_ns, target.stat().st_ino
    synced.clear()
    assert not write_if_changed(target, b"a = 1\n")
    assert (target.stat().st_mtime_ns, target.stat().st_ino) == before and synced == []
    assert write_if_changed(target, "a = 2\n") and target.read_text() == "a = 2\n"
