"""`qa-arena image export|import`: move the judge image with no registry, one clear line on errors."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import docker
import docker.errors
import pytest

from qa_arena_desktop.classroom.image_transfer import (
    TransferError,
    archive_tags,
    export_image,
    import_image,
)
from qa_arena_desktop.judging.engine import IMAGE_LATEST, IMAGE_TAG
from tests.cli.test_judge_command import run_cli

THROWAWAY = "qa-arena-judge:broken-archive-test"


def fake_archive(path: Path, tags: list[str] | None, manifest: bool = True) -> Path:
    """A tar shaped like `docker save` output (only what the checks look at)."""
    with tarfile.open(path, "w") as archive:
        files = {"layer.tar": b"x" * 100}
        if manifest:
            files["manifest.json"] = json.dumps(
                [{"Config": "c.json", "RepoTags": tags, "Layers": ["layer.tar"]}]).encode()
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


class FakeImage:
    def __init__(self, tags: list[str]) -> None:
        self.tags = tags
        self.attrs = {"Size": 3 * 1024 * 1024}
        self.short_id = "sha256:abc"

    def save(self, chunk_size: int, named: str):
        assert named == IMAGE_TAG
        yield from (b"a" * chunk_size, b"b" * 10)

    def tag(self, repository: str, tag: str) -> None:
        self.tags.append(f"{repository}:{tag}")

    def reload(self) -> None:
        pass


class FakeImages:
    def __init__(self, image: FakeImage | None) -> None:
        self.image = image
        self.loaded = b""

    def get(self, _name: str) -> FakeImage:
        if self.image is None:
            raise docker.errors.ImageNotFound("no such image")
        return self.image

    def load(self, reader) -> list[FakeImage]:
        assert len(reader) > 0
        while chunk := reader.read(8192):
            self.loaded += chunk
        self.image = self.image or FakeImage([IMAGE_TAG])
        return [self.image]


class FakeClient:
    def __init__(self, image: FakeImage | None = None) -> None:
        self.images = FakeImages(image)


# ---- the transfer functions, with a fake engine ------------------------------------------------


def test_export_streams_the_image_with_progress_and_leaves_no_part_file(tmp_path):
    seen: list[tuple[int, int]] = []
    written = export_image(FakeClient(FakeImage([IMAGE_TAG])), tmp_path / "judge.tar",
                           lambda done, total: seen.append((done, total)))
    assert written == 1024 * 1024 + 10 == (tmp_path / "judge.tar").stat().st_size
    assert seen[-1] == (written, 3 * 1024 * 1024)
    assert not list(tmp_path.glob("*.part"))


def test_export_without_the_image_says_how_to_get_it(tmp_path):
    with pytest.raises(TransferError, match="is not on this engine: build it") as caught:
        export_image(FakeClient(None), tmp_path / "judge.tar")
    assert caught.value.bad_input is False
    assert not (tmp_path / "judge.tar").exists()


def test_import_loads_the_archive_and_tags_latest(tmp_path):
    archive = fake_archive(tmp_path / "judge.tar", [IMAGE_TAG])
    client = FakeClient(None)
    imported = import_image(client, archive)
    assert client.images.loaded == archive.read_bytes()
    assert imported.has_current_tag and set(imported.tags) == {IMAGE_TAG, IMAGE_LATEST}


@pytest.mark.parametrize(("case", "expected"), [
    ("missing", "no such file"),
    ("not-a-tar", "is not an image archive"),
    ("no-manifest", "is not an image archive (no manifest.json)"),
    ("other-image", "holds busybox:latest, not the judge image qa-arena-judge"),
    ("untagged", "holds an untagged image"),
])
def test_import_refuses_what_is_not_a_judge_image_archive(tmp_path, case, expected):
    path = tmp_path / "judge.tar"
    if case == "not-a-tar":
        path.write_text("hello")
    elif case == "no-manifest":
        fake_archive(path, [IMAGE_TAG], manifest=False)
    elif case == "other-image":
        fake_archive(path, ["busybox:latest"])
    elif case == "untagged":
        fake_archive(path, None)
    with pytest.raises(TransferError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        import_image(FakeClient(None), path)
    if case != "missing":
        completed = run_cli("image", "import", str(path))
        assert completed.returncode == 2
        assert completed.stderr.count("\n") == 1 and expected in completed.stderr


def test_archive_tags_reads_the_manifest(tmp_path):
    assert archive_tags(fake_archive(tmp_path / "a.tar", [IMAGE_TAG, "x:y"])) == [IMAGE_TAG, "x:y"]


# ---- the commands ------------------------------------------------------------------------------


def test_no_engine_is_one_line_and_exit_3(tmp_path):
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock"}
    archive = fake_archive(tmp_path / "judge.tar", [IMAGE_TAG])
    for action in ("export", "import"):
        completed = run_cli("image", action, str(archive if action == "import" else tmp_path / "o.tar"),
                            env=env)
        assert completed.returncode == 3
        assert "Traceback" not in completed.stderr
        assert completed.stderr.count("\n") == 1 and "no Docker engine is reachable" in completed.stderr


@pytest.mark.docker
def test_export_then_import_round_trips_the_judge_image(tmp_path):
    archive = tmp_path / "judge image.tar"
    exported = run_cli("image", "export", str(archive), timeout=300)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith(f"saved {IMAGE_TAG} to {archive}")
    assert "qa-arena image import" in exported.stdout
    assert archive_tags(archive) == [IMAGE_TAG]
    imported = run_cli("image", "import", str(archive), timeout=300)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith(f"imported {IMAGE_TAG}, {IMAGE_LATEST} (")
    client = docker.from_env()
    try:
        assert IMAGE_LATEST in client.images.get(IMAGE_TAG).tags
    finally:
        client.close()


@pytest.mark.docker
def test_export_to_a_folder_or_importing_a_broken_archive_is_bad_input(tmp_path):
    completed = run_cli("image", "export", str(tmp_path))
    assert completed.returncode == 2 and "is a folder" in completed.stderr
    archive = tmp_path / "judge.tar"
    assert run_cli("image", "export", str(archive), timeout=300).returncode == 0
    with tarfile.open(archive) as whole:
        members = whole.getmembers()
    # drop the image config (layers the engine already has would load anyway), under a
    # throwaway tag so the real image is never at risk
    broken = tmp_path / "broken.tar"
    with tarfile.open(archive) as whole, tarfile.open(broken, "w") as cut:
        manifest = json.load(whole.extractfile("manifest.json"))
        config = manifest[0]["Config"]
        manifest[0]["RepoTags"] = [THROWAWAY]
        for member in members:
            if member.name in ("repositories", config):
                continue
            if member.name == "manifest.json":
                body = json.dumps(manifest).encode()
                member.size = len(body)
                cut.addfile(member, io.BytesIO(body))
            else:
                cut.addfile(member, whole.extractfile(member) if member.isfile() else None)
    try:
        completed = run_cli("image", "import", str(broken), timeout=300)
        assert completed.returncode == 2, completed.stderr
        assert completed.stderr.splitlines()[-1].startswith(
            f"qa-arena: the engine could not load {broken}: ")
        assert "Traceback" not in completed.stderr
    finally:
        client = docker.from_env()
        try:
            client.images.remove(THROWAWAY)
        except docker.errors.ImageNotFound:
            pass
        finally:
            client.close()
