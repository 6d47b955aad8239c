"""`qa-arena problems import`: packs from a USB stick join the catalog; bad ones are named."""

import json

from qa_arena_desktop.exit_codes import ExitCode
from qa_arena_desktop.packs.loader import pack_bytes_for_zip
from tests.cli.test_judge_command import run_cli
from tests.packs.factory import manifest, write_pack
from tests.packs.zip_tools import add_symlink, damage, zip_folder


def test_a_zip_and_a_folder_import_and_show_in_the_problem_list(tmp_path):
    folder = write_pack(tmp_path / "src", slug="add-one")
    other = write_pack(tmp_path / "src2", slug="add-two")
    archive = tmp_path / "add-two.zip"
    archive.write_bytes(pack_bytes_for_zip(other))
    completed = run_cli("problems", "import", str(folder), str(archive))
    assert completed.returncode == 0, completed.stderr
    assert "added     add-one" in completed.stdout and "added     add-two" in completed.stdout
    listed = {p["slug"] for p in json.loads(run_cli("problems", "list", "--json").stdout)}
    assert {"add-one", "add-two", "normalize-whitespace"} <= listed
    again = run_cli("problems", "import", str(folder))
    assert "unchanged add-one" in again.stdout


def test_a_broken_pack_and_a_bundled_slug_are_refused_with_reasons(tmp_path):
    broken = write_pack(tmp_path / "a", slug="broken-one")
    (broken / "golden.py").unlink()
    clash = write_pack(tmp_path / "b", slug="normalize-whitespace")
    completed = run_cli("problems", "import", str(broken), str(clash))
    assert completed.returncode == 2
    assert "golden.py: golden: file is missing" in completed.stderr
    assert "slug 'normalize-whitespace' is a bundled problem" in completed.stderr
    assert "Traceback" not in completed.stderr


# ---- hostile packs: exit 2 with the file and the reason, nothing stored, never a traceback ----


def _refused(completed, *expected: str) -> None:
    assert completed.returncode == 2, (completed.stdout, completed.stderr)
    for text in expected:
        assert text in completed.stderr, completed.stderr
    assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr


def _listed() -> set[str]:
    return {p["slug"] for p in json.loads(run_cli("problems", "list", "--json").stdout)}


def test_a_linked_description_is_refused_and_not_stored(tmp_path):
    pack = write_pack(tmp_path / "src", slug="linked-one")
    (pack / "description.md").unlink()
    (pack / "description.md").symlink_to("/etc/hostname")
    _refused(run_cli("problems", "import", str(pack)),
             "description.md: is a symbolic link; a pack may not contain links")
    assert "linked-one" not in _listed()


def test_a_symlink_member_of_a_zip_is_refused(tmp_path):
    archive = zip_folder(write_pack(tmp_path / "src", slug="zip-link"), tmp_path / "p.zip")
    add_symlink(archive, "notes.md", "/etc/hostname")
    _refused(run_cli("problems", "import", str(archive)), "notes.md: is a symbolic link")
    assert "zip-link" not in _listed()


def test_a_bad_crc_is_bad_input_for_import_and_judge(tmp_path):
    archive = zip_folder(write_pack(tmp_path / "src", slug="bad-crc"), tmp_path / "p.zip")
    damage(archive, "golden.py", "crc")
    expected = "golden.py: golden: cannot be unpacked from the zip (Bad CRC-32 for file 'golden.py')"
    _refused(run_cli("problems", "import", str(archive)), expected)
    tests = tmp_path / "test_mine.py"
    tests.write_text("from target import add_one\n\n\ndef test_a():\n    assert add_one(1) == 2\n")
    _refused(run_cli("judge", "--pack", str(archive), "--tests", str(tests)), expected)


def test_toml_nested_sixty_thousand_levels_is_bad_input(tmp_path):
    pack = write_pack(tmp_path / "src", slug="deep-toml",
                      toml=manifest("deep-toml") + "deep = " + "[" * 60_000 + "]" * 60_000 + "\n")
    _refused(run_cli("problems", "import", str(pack)), "problem.toml: invalid TOML: nested too deeply")
    tests = tmp_path / "test_mine.py"
    tests.write_text("def test_a():\n    pass\n")
    _refused(run_cli("judge", "--pack", str(pack), "--tests", str(tests)),
             "problem.toml: invalid TOML: nested too deeply")


def test_a_zip_of_too_many_entries_is_refused(tmp_path):
    extra = {f"junk/{i}.txt": b"" for i in range(1000)}
    archive = zip_folder(write_pack(tmp_path / "src", slug="many"), tmp_path / "many.zip",
                         extra=extra)
    _refused(run_cli("problems", "import", str(archive)),
             "many.zip: the zip has 1006 entries, over the limit of 1000")


def test_a_mutant_named_golden_is_refused(tmp_path):
    pack = write_pack(tmp_path / "src", slug="golden-mutant",
                      mutants={"golden": "def add_one(x: int) -> int:\n    return x\n"})
    _refused(run_cli("problems", "import", str(pack)),
             "problem.toml: mutants[0].name: Value error, 'golden' is reserved")


def test_validate_reports_a_corrupt_zip_as_an_invalid_pack(tmp_path):
    archive = zip_folder(write_pack(tmp_path / "src"), tmp_path / "p.zip")
    damage(archive, "mutants/adds-two.py", "crc")
    completed = run_cli("problems", "validate", str(archive), "--json")
    assert completed.returncode == ExitCode.INVALID_PACKS == 4, completed.stderr
    [result] = json.loads(completed.stdout)["packs"]
    assert result["errors"] == ["mutants/adds-two.py: mutants[1].file: cannot be unpacked from the "
                                "zip (Bad CRC-32 for file 'mutants/adds-two.py')"]
