"""Build zips of a test pack, then damage them the way an attacker would."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path


def zip_folder(folder: Path, dest: Path, compression: int = zipfile.ZIP_STORED,
               extra: dict[str, bytes] | None = None) -> Path:
    """``folder``'s files at the zip's root, plus ``extra`` members."""
    with zipfile.ZipFile(dest, "w", compression) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return dest


def add_symlink(dest: Path, name: str, target: str) -> None:
    """Append a member that unzip would create as a symbolic link to ``target``."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the high 16 bits of external_attr are st_mode
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(dest, "a") as archive:
        archive.writestr(info, target)


def _central_entry(data: bytes, name: str) -> int:
    encoded = name.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == encoded:
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise KeyError(name)


def _member_data(data: bytes, name: str) -> tuple[int, int]:
    """(offset, length) of ``name``'s stored or compressed bytes."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_len, extra_len = struct.unpack_from("<2H", data, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def damage(path: Path, name: str, how: str) -> Path:
    """``how``: "crc" (flip a data byte), "method" (compression 99), "garbage" (bad deflate)."""
    data = bytearray(path.read_bytes())
    offset, length = _member_data(bytes(data), name)
    if how == "crc":
        data[offset + length // 2] ^= 0x01
    elif how == "method":
        header = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name).header_offset
        struct.pack_into("<H", data, header + 8, 99)
        struct.pack_into("<H", data, _central_entry(bytes(data), name) + 10, 99)
    elif how == "garbage":
        data[offset:offset + length] = b"\xff" * length
    else:
        raise ValueError(how)
    path.write_bytes(bytes(data))
    return path


def set_sizes(path: Path, name: str, file_size: int) -> Path:
    """Make the central directory claim ``file_size`` for ``name`` (a lying header)."""
    data = bytearray(path.read_bytes())
    struct.pack_into("<L", data, _central_entry(bytes(data), name) + 24, file_size)
    path.write_bytes(bytes(data))
    return path
