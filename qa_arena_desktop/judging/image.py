"""Building, checking and moving the judge image.

Two ways to a base image:

* ``registry``: ``FROM python:3.11-slim-bookworm``, pulled from a registry, with
  pytest installed from PyPI at the pinned version.
* ``debootstrap``: for machines with no registry (offline labs, our CI): Debian
  bookworm ``minbase`` with ``python3``, ``python3-pytest`` (7.2.1) and
  ``python3-hypothesis`` (6.67.1), built with
  ``debootstrap`` from a Debian mirror (or a local mirror/cache), then
  ``docker import``-ed as ``qa-arena-judge-base:bookworm``.

``auto`` reuses a local debootstrap base when there is one with today's package
list (its ``BASE_PACKAGES_LABEL``; an older base without Hypothesis is rebuilt), else tries the
registry, else debootstraps. Either way the same ``judge/Dockerfile`` then adds
the non-root user and the runner. The image carries a hash of ``judge/`` so a
stale image (runner changed, version not bumped) is detected.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors

from qa_arena_desktop import __version__, env_settings
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.judging.engine import (
    IMAGE_LATEST,
    IMAGE_TAG,
    LABEL,
    LABEL_JUDGE_HASH,
)
from qa_arena_desktop.paths import judge_dir

BASE_IMAGE = "qa-arena-judge-base:bookworm"
REGISTRY_BASE = "python:3.11-slim-bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
MIRROR_ENV = "QA_ARENA_DEBIAN_MIRROR"
# What the debootstrap base holds; the registry path pins the same versions (judge/Dockerfile).
BASE_PACKAGES = "python3,python3-pytest,python3-hypothesis"
BASE_PACKAGES_LABEL = f"{LABEL}.base-packages"
def judge_files() -> list[str]:
    """Every file the image is built from (the build context, less bytecode)."""
    root = judge_dir()
    return sorted(str(path.relative_to(root)) for path in root.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)
# Trimmed from the debootstrap tree: docs, caches and apt's package lists.
TRIM_PATHS = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale",
              "var/cache/apt", "var/lib/apt/lists", "var/log")

Log = Callable[[str], None]


def judge_hash() -> str:
    digest = hashlib.sha256()
    for name in judge_files():
        digest.update(name.encode() + b"\0" + (judge_dir() / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ImageStatus:
    present: bool
    current: bool  # built from this version's judge/ files
    tag: str = IMAGE_TAG
    image_id: str = ""

    @property
    def problem(self) -> str:
        if not self.present:
            return f"the judge image {self.tag} is not built yet"
        if not self.current:
            return f"the judge image {self.tag} is out of date"
        return ""


def image_status(client: docker.DockerClient) -> ImageStatus:
    try:
        image = client.images.get(IMAGE_TAG)
    except docker.errors.ImageNotFound:
        return ImageStatus(present=False, current=False)
    labels = image.labels or {}
    return ImageStatus(
        present=True, current=labels.get(LABEL_JUDGE_HASH) == judge_hash(), image_id=image.id
    )


def require_image(client: docker.DockerClient) -> str:
    """The judge image's id; raises :class:`JudgeUnavailable` when it is missing or stale."""
    status = image_status(client)
    if status.problem:
        raise JudgeUnavailable(status.problem, "Build it with `qa-arena image build`")
    return status.image_id or ""


def _has_image(client: docker.DockerClient, name: str) -> bool:
    try:
        client.images.get(name)
        return True
    except docker.errors.ImageNotFound:
        return False


def _base_packages(client: docker.DockerClient) -> str:
    """The package list the local debootstrap base was made with ("" when unlabelled)."""
    try:
        return str((client.images.get(BASE_IMAGE).labels or {}).get(BASE_PACKAGES_LABEL, ""))
    except docker.errors.ImageNotFound:
        return ""


def _try_pull(client: docker.DockerClient, name: str, log: Log) -> bool:
    log(f"pulling {name} ...")
    try:
        client.images.pull(name)
        return True
    except docker.errors.DockerException as exc:
        log(f"cannot pull {name}: {str(exc).splitlines()[0][:200]}")
        return False


def build_debootstrap_base(client: docker.DockerClient, log: Log, mirror: str | None = None) -> str:
    """Create ``qa-arena-judge-base:bookworm`` from Debian packages; needs root and debootstrap."""
    debootstrap = shutil.which("debootstrap") or (
        "/usr/sbin/debootstrap" if os.path.exists("/usr/sbin/debootstrap") else None
    )
    if debootstrap is None:
        raise JudgeUnavailable(
            "debootstrap is not installed",
            "Install it (`sudo apt-get install debootstrap`), or build on a machine that can reach "
            "a registry, or import an exported image with `qa-arena image import FILE.tar`",
        )
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        raise JudgeUnavailable("building the base with debootstrap needs root",
                               "Run `sudo qa-arena image build --base debootstrap`")
    mirror = mirror or env_settings.current().debian_mirror or DEFAULT_MIRROR
    with tempfile.TemporaryDirectory(prefix="qa-arena-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        command = [debootstrap, "--variant=minbase", f"--include={BASE_PACKAGES}",
                   "bookworm", str(rootfs), mirror]
        log("$ " + " ".join(command))
        _stream_process(command, log)
        for relative in TRIM_PATHS:
            shutil.rmtree(rootfs / relative, ignore_errors=True)
        tarball = Path(tmp) / "rootfs.tar"
        log("packing the root file system ...")
        _stream_process(["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(tarball), "."], log)
        log(f"importing it as {BASE_IMAGE} ...")
        repository, tag = BASE_IMAGE.split(":")
        client.api.import_image_from_file(
            str(tarball), repository=repository, tag=tag,
            changes=[f"LABEL {LABEL}=base", f"LABEL {BASE_PACKAGES_LABEL}={BASE_PACKAGES}",
                     'CMD ["python3"]'],
        )
    return BASE_IMAGE


def _stream_process(command: list[str], log: Log) -> None:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    tail: list[str] = []
    for line in process.stdout:
        line = line.rstrip()
        tail = (tail + [line])[-20:]
        log(line)
    if process.wait() != 0:
        raise JudgeUnavailable(
            f"`{' '.join(command[:2])} ...` failed with exit code {process.returncode}",
            "Last output:\n" + "\n".join(tail),
        )


def choose_base(client: docker.DockerClient, base: str, log: Log, mirror: str | None) -> str:
    if base == "registry":
        if not _has_image(client, REGISTRY_BASE) and not _try_pull(client, REGISTRY_BASE, log):
            raise JudgeUnavailable(f"cannot pull {REGISTRY_BASE}",
                                   "Use `qa-arena image build --base debootstrap` offline")
        return REGISTRY_BASE
    if base == "debootstrap":
        return build_debootstrap_base(client, log, mirror)
    # auto
    if _has_image(client, BASE_IMAGE):
        if _base_packages(client) == BASE_PACKAGES:
            log(f"using the local base {BASE_IMAGE}")
            return BASE_IMAGE
        log(f"the local base {BASE_IMAGE} predates Hypothesis: rebuilding it")
        return build_debootstrap_base(client, log, mirror)
    if _has_image(client, REGISTRY_BASE) or _try_pull(client, REGISTRY_BASE, log):
        return REGISTRY_BASE
    log("no registry reachable: building the base from Debian packages with debootstrap")
    return build_debootstrap_base(client, log, mirror)


def build_image(client: docker.DockerClient, log: Log, base: str = "auto",
                mirror: str | None = None) -> str:
    """Build ``qa-arena-judge:<version>`` (and ``:latest``); returns the image id."""
    base_image = choose_base(client, base, log, mirror)
    log(f"building {IMAGE_TAG} from {base_image} ...")
    image_id = ""
    # The debootstrap base already has pytest: its build needs no network at all.
    network = "none" if base_image == BASE_IMAGE else None
    for chunk in client.api.build(
        path=str(judge_dir()), tag=IMAGE_TAG, buildargs={"BASE": base_image}, rm=True,
        forcerm=True, pull=False, decode=True, network_mode=network,
        labels={LABEL: "judge", LABEL_JUDGE_HASH: judge_hash(), f"{LABEL}.version": __version__},
    ):
        if "stream" in chunk:
            text = chunk["stream"].rstrip()
            if text:
                log(text)
        if "error" in chunk:
            raise JudgeUnavailable(f"the image build failed: {chunk['error'].strip()}",
                                   "See the build log above")
        if "aux" in chunk and "ID" in chunk["aux"]:
            image_id = chunk["aux"]["ID"]
    client.images.get(IMAGE_TAG).tag(*IMAGE_LATEST.split(":"))
    log(f"built {IMAGE_TAG} and {IMAGE_LATEST}")
    return image_id
