"""A zipped pack's files, checked from the zip's own records before anything is unpacked.

The ``.zip`` is read once into memory (at most ``MAX_ZIP_FILE_BYTES``). Its
end-of-central-directory record is checked (entry count, directory size) before
:mod:`zipfile` parses the directory; then the entries themselves: at most
``MAX_ENTRIES``, no symbolic link or other special member, no name twice, at most
``MAX_ZIP_BYTES`` uncompressed in all. A member is unpacked only when the loader
asks for it, after its header size is checked, and the read stops one byte past the
cap; any failure to unpack it (bad CRC, bad data, unsupported compression,
encryption) is a :class:`FileProblem` naming it.
"""

from __future__ import annotations

import io
import lzma
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from qa_arena_desktop.domain.pack import MANIFEST
from qa_arena_desktop.packs.errors import FileProblem, PackError, PackIssue
from qa_arena_desktop.packs.limits import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_ZIP_BYTES,
    MAX_ZIP_DIRECTORY_BYTES,
    MAX_ZIP_FILE_BYTES,
    read_capped,
    size_text,
)

# What unpacking a corrupt or hostile member can raise (zipfile, zlib, bz2, lzma).
UNPACK_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, NotImplementedError, EOFError,
    OSError, RuntimeError, ValueError, struct.error,
)
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def _directory_record(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory bytes) as :mod:`zipfile` will read them, if found."""
    at = len(data) - _EOCD.size
    if at < 0 or data[at:at + 4] != b"PK\x05\x06":
        at = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
        if at < 0 or len(data) - at < _EOCD.size:
            return None
    fields = _EOCD.unpack_from(data, at)
    entries, directory = fields[4], fields[5]
    locator = at - _ZIP64_LOCATOR.size
    if locator >= _ZIP64_EOCD.size and data[locator:locator + 4] == b"PK\x06\x07":
        record = _ZIP64_EOCD.unpack_from(data, locator - _ZIP64_EOCD.size)
        if record[0] == b"PK\x06\x06":
            entries, directory = record[7], record[8]
    return entries, directory


def _read_archive(path: Path) -> bytes:
    def refuse(message: str) -> PackError:
        return PackError(str(path), [PackIssue(path.name, message)])

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise refuse("is not a regular file")
        too_big = f"the zip is over the {size_text(MAX_ZIP_FILE_BYTES)} limit"
        if info.st_size > MAX_ZIP_FILE_BYTES:
            raise refuse(too_big)
        data = read_capped(fd, MAX_ZIP_FILE_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_ZIP_FILE_BYTES:
        raise refuse(too_big)
    return data


def _open_archive(path: Path, data: bytes) -> zipfile.ZipFile:
    def refuse(message: str) -> PackError:
        return PackError(str(path), [PackIssue(path.name, message)])

    record = _directory_record(data)
    if record is not None and record[0] > MAX_ENTRIES:
        raise refuse(f"the zip has {record[0]} entries, over the limit of {MAX_ENTRIES}")
    if record is not None and record[1] > MAX_ZIP_DIRECTORY_BYTES:
        raise refuse(f"the zip's list of entries is {record[1]} bytes, over the "
                     f"{size_text(MAX_ZIP_DIRECTORY_BYTES)} limit")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except UNPACK_ERRORS as exc:
        raise refuse(f"not a readable zip file ({exc or type(exc).__name__})") from None


def _member_issues(zip_name: str, infos: list[zipfile.ZipInfo]) -> list[PackIssue]:
    issues = []
    for info in infos:
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            issues.append(PackIssue(info.filename, "is a symbolic link; a pack may not contain links"))
        elif kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            issues.append(PackIssue(info.filename, "is not a regular file or folder"))
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_BYTES:
        issues.append(PackIssue(zip_name, f"unpacks to {total} bytes, over the {MAX_ZIP_BYTES} limit"))
    return issues


def _pack_members(infos: list[zipfile.ZipInfo]) -> tuple[dict[str, zipfile.ZipInfo], list[PackIssue]]:
    """The pack's files by name: the zip's root, or its one top-level folder."""
    files = [(i, PurePosixPath(i.filename)) for i in infos if not i.is_dir()]
    prefix = PurePosixPath()
    if PurePosixPath(MANIFEST) not in {name for _, name in files}:
        tops = {name.parts[0] for _, name in files if len(name.parts) > 1}
        if len(tops) == 1:
            prefix = PurePosixPath(tops.pop())
    members: dict[str, zipfile.ZipInfo] = {}
    issues = []
    for info, name in files:
        if name.is_absolute() or ".." in name.parts:
            continue
        try:
            relative = name.relative_to(prefix).as_posix()
        except ValueError:
            continue
        if relative in members:
            issues.append(PackIssue(info.filename, "appears twice in the zip"))
        members[relative] = info
    return members, issues


class ZipFiles:
    """Read access to a zipped pack; raises :class:`PackError` when the zip is refused."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._archive = _open_archive(path, _read_archive(path))
        infos = self._archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackError(str(path), [PackIssue(
                path.name, f"the zip has {len(infos)} entries, over the limit of {MAX_ENTRIES}")])
        self._members, duplicates = _pack_members(infos)
        issues = _member_issues(path.name, infos) + duplicates
        if issues:
            raise PackError(str(path), issues)
        self._unpacked = 0

    def read(self, name: str) -> bytes | None:
        """The member's bytes, ``None`` when missing; raises :class:`FileProblem`."""
        info = self._members.get(PurePosixPath(name).as_posix())
        if info is None:
            return None
        too_big = f"file is over the {size_text(MAX_FILE_BYTES)} limit"
        if info.file_size > MAX_FILE_BYTES:
            raise FileProblem(name, too_big)
        if info.flag_bits & 0x1:
            raise FileProblem(name, "is encrypted in the zip")
        try:
            with self._archive.open(info) as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except UNPACK_ERRORS as exc:
            raise FileProblem(name, f"cannot be unpacked from the zip "
                                    f"({exc or type(exc).__name__})") from None
        if len(data) > MAX_FILE_BYTES:  # the header lied
            raise FileProblem(name, too_big)
        self._unpacked += len(data)
        if self._unpacked > MAX_ZIP_BYTES:
            raise FileProblem(name, f"the zip unpacks to more than {size_text(MAX_ZIP_BYTES)}")
        return data
