"""Packs are untrusted input: links, oversize or lying files, corrupt zips, deep nesting,
zip bombs of entries and reserved names are each refused with the file and the reason."""

from __future__ import annotations

import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from qa_arena_desktop.domain.judge_models import GOLDEN
from qa_arena_desktop.domain.pack import RESERVED_MUTANT_NAMES
from qa_arena_desktop.packs import folder_files
from qa_arena_desktop.packs.errors import FileProblem
from qa_arena_desktop.packs.limits import MAX_ENTRIES, MAX_FILE_BYTES
from qa_arena_desktop.packs.loader import PackError, _Files, load_pack
from tests.packs.factory import MUTANTS, manifest, write_pack
from tests.packs.zip_tools import add_symlink, damage, set_sizes, zip_folder

LINK = "is a symbolic link; a pack may not contain links"


def issues_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(path)
    return [str(issue) for issue in caught.value.issues]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("the attacker wants this in the catalog\n")
    return secret


# ---- 1. links ---------------------------------------------------------------------------------


def test_a_linked_file_is_refused_not_followed(tmp_path, outside):
    pack = write_pack(tmp_path / "p")
    (pack / "description.md").unlink()
    (pack / "description.md").symlink_to(outside)
    assert issues_of(pack) == [f"description.md: {LINK}"]


def test_a_link_anywhere_in_the_folder_is_refused_even_unnamed(tmp_path, outside):
    pack = write_pack(tmp_path / "p")
    (pack / "notes").mkdir()
    (pack / "notes" / "hostname").symlink_to("/etc/hostname")
    (pack / "linked-dir").symlink_to(outside.parent, target_is_directory=True)
    assert sorted(issues_of(pack)) == [f"linked-dir: {LINK}", f"notes/hostname: {LINK}"]


def test_a_linked_folder_on_a_named_path_is_refused(tmp_path):
    pack = write_pack(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    (pack / "mutants").rename(elsewhere)
    (pack / "mutants").symlink_to(elsewhere, target_is_directory=True)
    assert issues_of(pack) == [f"mutants: {LINK}"]


def test_a_link_swapped_in_after_the_scan_is_refused_when_read(tmp_path, outside):
    pack = write_pack(tmp_path / "p")
    files = _Files(pack)  # scanned: no links yet
    (pack / "golden.py").unlink()
    (pack / "golden.py").symlink_to(outside)
    with pytest.raises(FileProblem, match="symbolic link"):
        files.read("golden.py")
    (pack / "mutants").rename(tmp_path / "real-mutants")
    (pack / "mutants").symlink_to(tmp_path / "real-mutants", target_is_directory=True)
    with pytest.raises(FileProblem, match="symbolic link"):
        files.read("mutants/adds-two.py")


def test_a_symlink_member_in_a_zip_is_refused_by_name(tmp_path):
    archive = zip_folder(write_pack(tmp_path / "p"), tmp_path / "p.zip")
    add_symlink(archive, "extra/hostname", "/etc/hostname")
    assert issues_of(archive) == [f"extra/hostname: {LINK}"]


def test_a_symlink_member_standing_for_a_pack_file_is_refused(tmp_path):
    folder = write_pack(tmp_path / "p")
    (folder / "description.md").unlink()
    archive = zip_folder(folder, tmp_path / "p.zip")
    add_symlink(archive, "description.md", "/etc/hostname")
    assert issues_of(archive) == [f"description.md: {LINK}"]


def test_a_fifo_named_by_the_manifest_is_refused_without_blocking(tmp_path):
    pack = write_pack(tmp_path / "p")
    (pack / "description.md").unlink()
    os.mkfifo(pack / "description.md")
    assert issues_of(pack) == ["description.md: description: is not a regular file"]


# ---- 2. sizes checked before reading, reads capped ---------------------------------------------


def _peak_bytes_loading(path: Path) -> tuple[int, list[str]]:
    tracemalloc.start()
    try:
        issues = issues_of(path)
        return tracemalloc.get_traced_memory()[1], issues
    finally:
        tracemalloc.stop()


def test_an_oversize_sparse_manifest_is_refused_without_reading_it(tmp_path):
    pack = write_pack(tmp_path / "p")
    with open(pack / "problem.toml", "r+b") as handle:
        handle.truncate(256 * 1024 * 1024)  # sparse: costs no disk
    peak, issues = _peak_bytes_loading(pack)
    assert issues == ["problem.toml: file is over the 256 KiB limit"]
    assert peak < 4 * 1024 * 1024, f"{peak} bytes allocated to refuse it"


def test_a_file_larger_than_its_stat_says_is_read_only_to_the_cap(tmp_path, monkeypatch):
    pack = write_pack(tmp_path / "p")
    with open(pack / "description.md", "r+b") as handle:
        handle.truncate(64 * 1024 * 1024)
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, *info[1:6], 100, *info[7:]))

    monkeypatch.setattr(folder_files.os, "fstat", small_fstat)
    peak, issues = _peak_bytes_loading(pack)
    assert issues == ["description.md: description: file is over the 256 KiB limit"]
    assert peak < 4 * 1024 * 1024, f"{peak} bytes allocated to refuse it"


def test_an_oversize_zip_member_is_refused_from_its_header_without_unpacking(tmp_path, monkeypatch):
    folder = write_pack(tmp_path / "p")
    (folder / "description.md").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    archive = zip_folder(folder, tmp_path / "p.zip", zipfile.ZIP_DEFLATED)
    real_open = zipfile.ZipFile.open

    def guarded_open(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        member = name.filename if isinstance(name, zipfile.ZipInfo) else name
        assert member != "description.md", "unpacked before its size was checked"
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", guarded_open)
    assert issues_of(archive) == ["description.md: description: file is over the 256 KiB limit"]


def test_a_zip_header_that_understates_a_size_does_not_get_past_the_cap(tmp_path):
    folder = write_pack(tmp_path / "p")
    (folder / "description.md").write_bytes(b"x" * (MAX_FILE_BYTES + 10))
    archive = set_sizes(zip_folder(folder, tmp_path / "p.zip"), "description.md", 1000)
    [issue] = issues_of(archive)
    assert issue.startswith("description.md: description: cannot be unpacked from the zip")


def test_an_oversize_zip_file_is_refused_before_it_is_read(tmp_path):
    archive = tmp_path / "huge.zip"
    with open(archive, "wb") as handle:
        handle.truncate(2 * 1024 * 1024 * 1024)
    assert issues_of(archive) == ["huge.zip: the zip is over the 17 MiB limit"]


# ---- 3. corrupt members and deep nesting are validation errors ----------------------------------


@pytest.mark.parametrize(("how", "compression", "reason"), [
    ("crc", zipfile.ZIP_STORED, "Bad CRC-32 for file 'golden.py'"),
    ("method", zipfile.ZIP_STORED, "compression method is not supported"),
    ("garbage", zipfile.ZIP_DEFLATED, "Error -3 while decompressing data"),
])
def test_a_corrupt_zip_member_is_an_issue_naming_it(tmp_path, how, compression, reason):
    archive = zip_folder(write_pack(tmp_path / "p"), tmp_path / "p.zip", compression)
    damage(archive, "golden.py", how)
    [issue] = issues_of(archive)
    assert issue.startswith("golden.py: golden: cannot be unpacked from the zip (")
    assert reason in issue


def test_a_corrupt_manifest_member_is_an_issue_naming_it(tmp_path):
    archive = damage(zip_folder(write_pack(tmp_path / "p"), tmp_path / "p.zip"), "problem.toml",
                     "crc")
    [issue] = issues_of(archive)
    assert issue.startswith("problem.toml: cannot be unpacked from the zip (Bad CRC-32")


@pytest.mark.parametrize("value", ["[" * 60_000 + "]" * 60_000,
                                   "{a=" * 60_000 + "1" + "}" * 60_000])
def test_toml_nested_sixty_thousand_levels_is_an_issue(tmp_path, value):
    pack = write_pack(tmp_path / "p", toml=manifest() + f"\ndeep = {value}\n")
    assert issues_of(pack) == ["problem.toml: invalid TOML: nested too deeply"]


def test_python_nested_too_deeply_is_an_issue_naming_the_file(tmp_path):
    deep_ast = "def add_one(x: int) -> int:\n    return x" + " + 1" * 2000 + "\n"
    deep_parser = "def add_one(x: int) -> int:\n    return " + "-" * 20_000 + "x\n"
    pack = write_pack(tmp_path / "p", mutants={**MUTANTS, "deep-ast": deep_ast,
                                               "deep-parser": deep_parser})
    assert issues_of(pack) == [
        "mutants/deep-ast.py: nested too deeply to compare with golden",
        "mutants/deep-parser.py: does not compile: nested too deeply",
    ]


# ---- 4. entry limits ------------------------------------------------------------------------


def test_a_zip_of_too_many_entries_is_refused_before_zipfile_parses_it(tmp_path, monkeypatch):
    extra = {f"junk/{i}.txt": b"" for i in range(MAX_ENTRIES)}
    archive = zip_folder(write_pack(tmp_path / "p"), tmp_path / "p.zip", extra=extra)

    def no_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", no_parse)
    assert issues_of(archive) == [f"p.zip: the zip has {MAX_ENTRIES + 6} entries, "
                                  f"over the limit of {MAX_ENTRIES}"]


def test_a_zip_that_understates_its_entry_count_is_still_refused(tmp_path):
    extra = {f"junk/{i}.txt": b"" for i in range(MAX_ENTRIES)}
    archive = zip_folder(write_pack(tmp_path / "p"), tmp_path / "p.zip", extra=extra)
    data = bytearray(archive.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8:end + 12] = (5).to_bytes(2, "little") * 2  # "5 entries"
    archive.write_bytes(bytes(data))
    assert issues_of(archive) == [f"p.zip: the zip has {MAX_ENTRIES + 6} entries, "
                                  f"over the limit of {MAX_ENTRIES}"]


def test_a_folder_of_too_many_entries_is_refused(tmp_path):
    pack = write_pack(tmp_path / "p")
    (pack / "junk").mkdir()
    for i in range(MAX_ENTRIES):
        (pack / "junk" / f"{i}.txt").touch()
    assert issues_of(pack) == [f".: the pack folder holds more than {MAX_ENTRIES} files and folders"]


def test_a_zip_unpacking_over_the_total_limit_is_refused(tmp_path):
    extra = {"padding.bin": b"\0" * (16 * 1024 * 1024)}
    archive = zip_folder(write_pack(tmp_path / "p"), tmp_path / "p.zip", zipfile.ZIP_DEFLATED,
                         extra=extra)
    [issue] = issues_of(archive)
    assert issue.startswith("p.zip: unpacks to ") and "over the 16777216 limit" in issue


def test_a_name_twice_in_a_zip_is_refused(tmp_path):
    archive = zip_folder(write_pack(tmp_path / "p"), tmp_path / "p.zip")
    with pytest.warns(UserWarning, match="Duplicate name"), \
            zipfile.ZipFile(archive, "a") as handle:
        handle.writestr("golden.py", "def add_one(x):\n    return x + 1\n")
    assert issues_of(archive) == ["golden.py: appears twice in the zip"]


# ---- 5. reserved names ----------------------------------------------------------------------


def test_a_mutant_named_golden_is_refused():
    assert GOLDEN in RESERVED_MUTANT_NAMES


def test_a_mutant_named_golden_is_refused_by_the_loader(tmp_path):
    pack = write_pack(tmp_path / "p", mutants={**MUTANTS, "golden": "def add_one(x):\n    return 0\n"})
    [issue] = issues_of(pack)
    assert issue.startswith("problem.toml: mutants[2].name:") and "'golden' is reserved" in issue
