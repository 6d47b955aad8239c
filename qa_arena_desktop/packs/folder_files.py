"""A pack folder's files, read without following links.

The whole folder is scanned first: a symbolic link anywhere in it (file or folder)
refuses the pack, as do more than ``MAX_ENTRIES`` entries. Each file is then opened
one path component at a time relative to its parent (``O_NOFOLLOW``), so a link
swapped in after the scan is refused too; it must be a regular file, its size is
checked before it is read, and the read stops one byte past the cap.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

from qa_arena_desktop.packs.errors import FileProblem, PackError, PackIssue
from qa_arena_desktop.packs.limits import MAX_ENTRIES, MAX_FILE_BYTES, read_capped, size_text

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_FILE_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | _NOFOLLOW
_LINK_ERRNOS = (errno.ELOOP, errno.EMLINK)
LINK_MESSAGE = "is a symbolic link; a pack may not contain links"


def scan_folder(root: Path) -> list[PackIssue]:
    """Every link in ``root`` (not followed), or the entry limit when it is passed."""
    issues: list[PackIssue] = []
    count = 0
    pending = [(root, PurePosixPath())]
    while pending:
        folder, relative = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            issues.append(PackIssue(relative.as_posix() if relative.parts else ".",
                                    f"folder cannot be read ({exc.strerror})"))
            continue
        for entry in listed:
            count += 1
            if count > MAX_ENTRIES:
                return [*issues, PackIssue(".", f"the pack folder holds more than {MAX_ENTRIES} "
                                                "files and folders")]
            name = (relative / entry.name).as_posix()
            if entry.is_symlink():
                issues.append(PackIssue(name, LINK_MESSAGE))
            elif entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), relative / entry.name))
    return issues


def _open_inside(root: Path, parts: tuple[str, ...]) -> int:
    """An fd for ``root/parts...``, refusing a link at any component (raises OSError)."""
    if os.open not in os.supports_dir_fd or not _NOFOLLOW:  # no openat: check, then open
        path = root
        for part in parts:
            path = path / part
            if path.is_symlink():
                raise OSError(errno.ELOOP, "is a symbolic link")
        return os.open(path, _FILE_FLAGS)
    parent = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts[:-1]:
            try:
                child = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=parent)
            except NotADirectoryError:  # Linux says ENOTDIR, not ELOOP, for a link here
                if stat.S_ISLNK(os.stat(part, dir_fd=parent, follow_symlinks=False).st_mode):
                    raise OSError(errno.ELOOP, "is a symbolic link") from None
                raise
            os.close(parent)
            parent = child
        return os.open(parts[-1], _FILE_FLAGS, dir_fd=parent)
    finally:
        os.close(parent)


class FolderFiles:
    """Read access to a pack folder; raises :class:`PackError` when the folder is refused."""

    def __init__(self, root: Path) -> None:
        self.root = root
        issues = scan_folder(root)
        if issues:
            raise PackError(str(root), issues)

    def read(self, name: str) -> bytes | None:
        """The file's bytes, ``None`` when missing; raises :class:`FileProblem`."""
        parts = PurePosixPath(name).parts
        if not parts:
            return None
        try:
            fd = _open_inside(self.root, parts)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            if exc.errno in _LINK_ERRNOS:
                raise FileProblem(name, LINK_MESSAGE) from None
            raise FileProblem(name, f"cannot be read ({exc.strerror})") from None
        try:
            return _read_regular(name, fd)
        finally:
            os.close(fd)


def _read_regular(name: str, fd: int) -> bytes:
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem(name, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(name, "is not a regular file")
    too_big = f"file is over the {size_text(MAX_FILE_BYTES)} limit"
    if info.st_size > MAX_FILE_BYTES:
        raise FileProblem(name, too_big)
    try:
        data = read_capped(fd, MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileProblem(name, f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:  # it grew since the stat
        raise FileProblem(name, too_big)
    return data
