import zipfile
from pathlib import Path

import pytest

from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.packs.loader import (
    MAX_FILE_BYTES,
    PackError,
    load_pack,
    load_packs,
    pack_bytes_for_zip,
)
from tests.packs.factory import GOLDEN, MUTANTS, manifest, write_pack


def issues_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(path)
    return [str(issue) for issue in caught.value.issues]


def test_valid_folder_loads_with_every_file_read(tmp_path):
    pack = load_pack(write_pack(tmp_path))
    assert pack.slug == "add-one"
    assert pack.difficulty is Difficulty.VERY_EASY
    assert pack.function_name == "add_one"
    assert [m.name for m in pack.mutants] == ["returns-same", "adds-two"]
    assert pack.golden_source == GOLDEN
    assert len(pack.content_hash) == 64


def test_zip_loads_the_same_pack_at_root_or_in_one_folder(tmp_path):
    folder = write_pack(tmp_path / "src")
    flat = tmp_path / "flat.zip"
    flat.write_bytes(pack_bytes_for_zip(folder))
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        for file in folder.rglob("*"):
            if file.is_file():
                archive.write(file, f"add-one/{file.relative_to(folder).as_posix()}")
    expected = load_pack(folder).content_hash
    assert load_pack(flat).content_hash == expected
    assert load_pack(nested).content_hash == expected


def test_missing_folder_is_reported(tmp_path):
    assert "no such folder or zip file" in issues_of(tmp_path / "nope")[0]


def test_missing_manifest_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    assert issues_of(tmp_path / "empty") == ["problem.toml: file is missing"]


def test_bad_toml_names_the_line(tmp_path):
    pack = write_pack(tmp_path, toml='slug = "add-one"\ntitle = \n')
    [issue] = issues_of(pack)
    assert issue.startswith("problem.toml: invalid TOML") and "line 2" in issue


def test_unknown_difficulty_names_the_field(tmp_path):
    pack = write_pack(tmp_path, toml=manifest().replace('"Very Easy"', '"Trivial"'))
    [issue] = issues_of(pack)
    assert issue.startswith("problem.toml: difficulty:") and "Very Easy" in issue


def test_weight_must_be_positive_and_names_the_mutant(tmp_path):
    pack = write_pack(tmp_path, toml=manifest().replace("weight = 1.0", "weight = 0", 1))
    [issue] = issues_of(pack)
    assert issue.startswith("problem.toml: mutants[0].weight:")


def test_bad_slug_and_missing_field_are_both_reported(tmp_path):
    text = manifest().replace('slug = "add-one"', 'slug = "Add One!"').replace(
        'title = "Add one"\n', ""
    )
    issues = issues_of(write_pack(tmp_path, toml=text))
    assert any(i.startswith("problem.toml: slug:") for i in issues)
    assert any(i.startswith("problem.toml: title: Field required") for i in issues)


def test_duplicate_mutant_names_are_reported(tmp_path):
    text = manifest(mutants={"returns-same": "", "adds-two": ""}).replace(
        'name = "adds-two"', 'name = "returns-same"'
    )
    issues = issues_of(write_pack(tmp_path, toml=text))
    assert "problem.toml: mutants[1]: duplicate mutant name 'returns-same'" in issues


def test_missing_mutant_file_is_reported(tmp_path):
    pack = write_pack(tmp_path)
    (pack / "mutants" / "adds-two.py").unlink()
    assert issues_of(pack) == ["mutants/adds-two.py: mutants[1].file: file is missing"]


def test_golden_and_mutants_that_do_not_compile_name_the_line(tmp_path):
    pack = write_pack(tmp_path, golden="def add_one(x):\n    return x +\n",
                      mutants={"broken": "def add_one(x)\n    return x\n"})
    issues = issues_of(pack)
    assert "golden.py: does not compile: line 2: invalid syntax" in issues
    assert any(i.startswith("mutants/broken.py: does not compile: line 1") for i in issues)


def test_golden_must_define_the_signature_function(tmp_path):
    pack = write_pack(tmp_path, golden="def plus_one(x):\n    return x + 1\n")
    assert "golden.py: does not define add_one() named in function_signature" in issues_of(pack)


def test_mutant_identical_to_golden_is_an_error(tmp_path):
    pack = write_pack(tmp_path, mutants={**MUTANTS, "copy": GOLDEN})
    assert "mutants/copy.py: mutant 'copy' is identical to golden" in issues_of(pack)


def test_mutant_differing_only_in_comments_or_docstrings_is_an_error(tmp_path):
    cosmetic = "def add_one(x: int) -> int:\n    # a comment\n    return x   +   1\n"
    pack = write_pack(tmp_path, mutants={**MUTANTS, "cosmetic": cosmetic})
    [issue] = issues_of(pack)
    assert "only in whitespace, comments or docstrings" in issue


def test_file_over_the_size_limit_is_reported(tmp_path):
    pack = write_pack(tmp_path)
    (pack / "description.md").write_text("x" * (MAX_FILE_BYTES + 1))
    assert issues_of(pack) == ["description.md: description: file is over the 256 KiB limit"]


def test_non_utf8_file_is_reported(tmp_path):
    pack = write_pack(tmp_path)
    (pack / "reference_tests.py").write_bytes(b"\xff\xfe")
    assert issues_of(pack) == ["reference_tests.py: reference_tests: not valid UTF-8 (byte 0)"]


def test_paths_outside_the_pack_are_refused(tmp_path):
    text = manifest().replace('golden = "golden.py"', 'golden = "../secret.py"')
    [issue] = issues_of(write_pack(tmp_path, toml=text))
    assert issue.startswith("problem.toml: golden:") and "inside the pack" in issue


def test_corrupt_zip_is_reported(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    assert "not a readable zip file" in issues_of(bad)[0]


def test_duplicate_slug_across_packs_is_reported_and_first_pack_kept(tmp_path):
    first = write_pack(tmp_path / "a")
    second = write_pack(tmp_path / "b")
    packs, errors = load_packs([first, second])
    assert [p.slug for p in packs] == ["add-one"]
    assert "duplicate slug 'add-one'" in str(errors[0])


def test_a_mutant_may_have_a_one_line_learner_facing_title(tmp_path):
    from tests.packs.factory import manifest

    text = manifest().replace('name = "adds-two"', 'name = "adds-two"\ntitle = " Adds too much "')
    pack = load_pack(write_pack(tmp_path / "ok", toml=text))
    assert {m.name: m.title for m in pack.mutants} == {"returns-same": "", "adds-two": "Adds too much"}
    broken = manifest().replace('name = "adds-two"', 'name = "adds-two"\ntitle = "two\\nlines"')
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path / "bad", toml=broken))
    assert "title" in str(info.value) and "one line" in str(info.value)
