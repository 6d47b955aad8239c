"""Move the judge image between machines as a tar file: for labs with no registry.

``export_image`` streams ``docker save`` of ``qa-arena-judge:<version>`` into a
file (through a ``.part`` file fsynced and renamed at the end, ``files.atomic_file``,
so a half-written archive never looks complete); ``import_image`` checks that a file really is an image
archive holding the judge before it streams it to the engine (``docker load``),
then tags ``:latest`` too. Both report progress in bytes; both raise
:class:`TransferError` with one sentence for every expected problem, so callers
print a line, never a traceback. The client is passed in, so any engine the
``docker`` SDK reaches (local socket, tcp+TLS, ssh) works the same.
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import docker
import docker.errors

from qa_arena_desktop.files import AtomicWriteError, atomic_file
from qa_arena_desktop.judging.engine import IMAGE_LATEST, IMAGE_REPOSITORY, IMAGE_TAG

CHUNK_BYTES = 1024 * 1024
Progress = Callable[[int, int], None]  # bytes done, bytes expected (0 when unknown)


class TransferError(Exception):
    """An expected failure (no image, no file, not an image archive): ``str`` says what."""

    def __init__(self, message: str, bad_input: bool = True) -> None:
        super().__init__(message)
        self.bad_input = bad_input  # False: the engine lacks something (the judge cannot run)


@dataclass(frozen=True)
class Imported:
    tags: tuple[str, ...]
    image_id: str
    size: int
    has_current_tag: bool  # the archive holds the judge image this version of the app uses


def export_image(client: docker.DockerClient, path: Path, progress: Progress = lambda _d, _t: None,
                 tag: str = IMAGE_TAG) -> int:
    """Save ``tag`` to ``path``; returns the bytes written."""
    try:
        image = client.images.get(tag)
    except docker.errors.ImageNotFound:
        raise TransferError(f"the judge image {tag} is not on this engine: build it with "
                            "`qa-arena image build` (or import one)", bad_input=False) from None
    expected = int(image.attrs.get("Size") or 0)
    if path.is_dir():
        raise TransferError(f"{path} is a folder: give a file name such as judge-image.tar")
    written = 0
    try:
        with atomic_file(path, suffix=".part", parents=False) as handle:
            # Engine errors (docker / requests exceptions, some of them OSErrors) propagate
            # as they are; only our own writes are "cannot write".
            for chunk in image.save(chunk_size=CHUNK_BYTES, named=tag):
                _write(handle, chunk, path)
                written += len(chunk)
                progress(written, expected)
    except AtomicWriteError as exc:
        raise TransferError(f"cannot write {path}: {exc.strerror or exc}") from None
    return written


def _write(handle: IO[bytes], chunk: bytes, path: Path) -> None:
    try:
        handle.write(chunk)
    except OSError as exc:
        raise TransferError(f"cannot write {path}: {exc.strerror or exc}") from None


def archive_tags(path: Path) -> list[str]:
    """The image tags a ``docker save`` archive holds; TransferError if it is not one."""
    if not path.is_file():
        raise TransferError(f"no such file: {path}")
    try:
        with tarfile.open(path) as archive:
            member = archive.extractfile("manifest.json")
            manifest = json.load(member) if member is not None else None
    except KeyError:
        raise TransferError(f"{path} is not an image archive (no manifest.json): make it with "
                            "`qa-arena image export FILE.tar`") from None
    except (tarfile.TarError, ValueError, EOFError):
        raise TransferError(f"{path} is not an image archive (not a readable tar file): make it "
                            "with `qa-arena image export FILE.tar`") from None
    except OSError as exc:
        raise TransferError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not isinstance(manifest, list):
        raise TransferError(f"{path} is not an image archive (unexpected manifest.json)")
    return [tag for entry in manifest if isinstance(entry, dict)
            for tag in entry.get("RepoTags") or ()]


class _CountingReader:
    """A file wrapper that reports how much the HTTP client has read (it streams, no copy)."""

    def __init__(self, handle: IO[bytes], size: int, progress: Progress) -> None:
        self._handle = handle
        self._size = size
        self._progress = progress
        self._done = 0

    def __len__(self) -> int:  # lets requests send a Content-Length instead of chunks
        return self._size

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._done += len(data)
        self._progress(self._done, self._size)
        return data


def import_image(client: docker.DockerClient, path: Path,
                 progress: Progress = lambda _d, _t: None) -> Imported:
    """Load a judge image archive into the engine and tag it ``:latest`` as well."""
    tags = archive_tags(path)
    judge_tags = [t for t in tags if t.rsplit(":", 1)[0] == IMAGE_REPOSITORY]
    if not judge_tags:
        held = ", ".join(tags) if tags else "an untagged image"
        raise TransferError(f"{path} holds {held}, not the judge image {IMAGE_REPOSITORY}: make "
                            "the archive with `qa-arena image export FILE.tar`")
    size = path.stat().st_size
    try:
        with path.open("rb") as handle:
            client.images.load(_CountingReader(handle, size, progress))
    except (docker.errors.APIError, docker.errors.ImageLoadError) as exc:
        raise TransferError(f"the engine could not load {path}: {_explain(exc)}") from None
    loaded = IMAGE_TAG if IMAGE_TAG in judge_tags else judge_tags[0]
    try:
        image = client.images.get(loaded)
    except docker.errors.ImageNotFound:
        raise TransferError(f"the engine did not keep {loaded} after loading {path}",
                            bad_input=False) from None
    if loaded == IMAGE_TAG and IMAGE_LATEST not in image.tags:
        image.tag(*IMAGE_LATEST.split(":"))
        image.reload()
    return Imported(tags=tuple(sorted(image.tags)), image_id=image.short_id,
                    size=int(image.attrs.get("Size") or 0), has_current_tag=loaded == IMAGE_TAG)


def _explain(exc: docker.errors.DockerException) -> str:
    text: Any = getattr(exc, "explanation", None) or str(exc)
    return str(text).strip().splitlines()[0][:300] if str(text).strip() else type(exc).__name__
