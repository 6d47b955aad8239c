"""Opening a test file into the editor and saving the editor's tests to a file.

The same rules as the judge (:mod:`judging.precheck`): UTF-8 text of at most
:data:`MAX_TEST_FILE_BYTES`. A file that breaks them is refused with a sentence that
says why and what to do, before anything replaces the learner's draft; a file the
judge would refuse anyway is not worth losing a draft for.
"""

from __future__ import annotations

from pathlib import Path

from qa_arena_desktop.files import write_atomically
from qa_arena_desktop.judging.precheck import MAX_TEST_FILE_BYTES, read_test_file


class TestFileError(Exception):
    """A test file that cannot be opened or saved; the message is for the learner."""

    __test__ = False  # not a pytest class


def open_test_file(path: Path) -> str:
    """The text of the test file at ``path``; :class:`TestFileError` says why not."""
    name = path.name
    try:
        if path.is_dir():
            raise TestFileError(f"{name} is a folder, not a test file.")
        data = read_test_file(path)
    except TestFileError:
        raise
    except OSError as exc:
        raise TestFileError(f"{name} cannot be read: {exc.strerror or 'read error'}.") from None
    if len(data) > MAX_TEST_FILE_BYTES:
        size = f"{len(data) // 1024} KiB" if len(data) < MAX_TEST_FILE_BYTES * 4 else "over 1 MiB"
        raise TestFileError(f"{name} is {size}: a test file may be at most "
                            f"{MAX_TEST_FILE_BYTES // 1024} KiB (the judge's limit).")
    if b"\x00" in data:
        raise TestFileError(f"{name} is not a text file (it holds NUL bytes).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TestFileError(f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line "
                            f"{line}). Save it as UTF-8 in your editor and open it again."
                            ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def save_test_file(path: Path, text: str) -> None:
    """Write the editor's ``text`` to ``path`` (atomically: never half a file)."""
    try:
        if path.is_dir():
            raise TestFileError(f"{path.name} is a folder: choose a file name.")
        if not path.parent.is_dir():
            raise TestFileError(f"the folder {path.parent} does not exist.")
        write_atomically(path, text)
    except TestFileError:
        raise
    except OSError as exc:
        raise TestFileError(f"{path.name} cannot be written: "
                            f"{exc.strerror or 'write error'}.") from None
