"""The size limits on a pack (documented in ``docs/pack-format.md``) and a capped read.

Packs are untrusted input, so sizes are checked from the file system or the zip's
headers before anything is read, and every read stops one byte past its cap anyway
(headers can lie, files can grow).
"""

from __future__ import annotations

import os

MAX_FILE_BYTES = 256 * 1024  # each file the manifest names
MAX_ZIP_BYTES = 16 * 1024 * 1024  # every member of a zip, uncompressed
MAX_ENTRIES = 1000  # files and folders in a pack folder (recursively) or a zip
MAX_ZIP_FILE_BYTES = MAX_ZIP_BYTES + 1024 * 1024  # the .zip itself
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024  # a zip's central directory (its list of entries)

_CHUNK = 64 * 1024


def read_capped(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes from ``fd``: pass ``cap + 1`` to tell "over the cap" apart."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(_CHUNK, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def size_text(limit: int) -> str:
    """``256 KiB``, ``16 MiB``: a limit as the docs write it."""
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    return f"{limit // 1024} KiB"
