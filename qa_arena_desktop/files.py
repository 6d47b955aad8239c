"""Writing a file so that readers see the old contents or the new, never half of either.

The one atomic write of the package: a temporary file in the same folder, written,
flushed and fsynced, renamed over the target (``os.replace``), then the folder
fsynced so that the rename itself survives a power cut. Drafts, reports, saved
packs and exported images all go through here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class AtomicWriteError(OSError):
    """The temporary file could not be created, or not be put in place (not an error
    raised by the caller's own code while writing)."""


def _sync_folder(folder: Path) -> None:
    """fsync a folder so a rename in it is durable; a no-op where folders cannot be
    opened (Windows), whose ``os.replace`` is durable once it returns."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
            os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path: Path, suffix: str = ".tmp", parents: bool = True) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file that replaces ``path`` when the block ends.

    If the block raises, the temporary file is removed and ``path`` is untouched.
    Failures to create the temporary file or to put it in place raise
    :class:`AtomicWriteError`; whatever the block raises propagates as it is.
    ``parents``: create missing folders (else a missing folder is an AtomicWriteError).
    """
    try:
        if parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        raise AtomicWriteError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise AtomicWriteError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        try:
            os.replace(temp, path)
        except OSError as exc:
            raise AtomicWriteError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(path.parent)


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text is UTF-8, newlines as given) to ``path`` atomically."""
    with atomic_file(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """:func:`write_atomically` unless ``path`` already holds exactly ``data``; True if written.

    An unchanged file keeps its modification time (version control, file watchers)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    write_atomically(path, raw)
    return True
