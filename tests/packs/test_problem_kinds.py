"""The pack format's problem kinds: api blocks, support files, further goldens, chapters."""

from pathlib import Path

import pytest

from qa_arena_desktop.domain.pack import ALT_GOLDEN_PREFIX, ProblemKind
from qa_arena_desktop.packs.loader import PackError, load_pack
from tests.packs.factory import GOLDEN, MUTANTS, manifest, write_pack

API = 'api = """\nclass Box:\n    def __init__(self) -> None\ndef add_one(x: int) -> int\n"""'
BOX = "class Box:\n    def __init__(self):\n        self.items = []\n\n\n" + GOLDEN


def issues_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(path)
    return [str(issue) for issue in caught.value.issues]


def with_fields(tmp_path: Path, fields: str, golden: str = GOLDEN, signature: bool = True) -> Path:
    toml = manifest(extra=fields)
    if not signature:
        toml = toml.replace('function_signature = "def add_one(x: int) -> int"\n', "")
    return write_pack(tmp_path, golden=golden, toml=toml)


def test_an_api_block_replaces_the_signature_and_names_what_tests_import(tmp_path):
    pack = load_pack(with_fields(tmp_path, API + '\nkind = "class"\nchapter = "state"',
                                 golden=BOX, signature=False))
    assert pack.api_names == ("Box", "add_one")
    assert pack.function_name == "Box"
    assert pack.kind is ProblemKind.CLASS and pack.chapter == "state"
    assert pack.interface.startswith("class Box:")


def test_golden_must_define_every_name_of_the_api(tmp_path):
    issues = issues_of(with_fields(tmp_path, API, signature=False))
    assert "golden.py: does not define Box named in api" in issues


def test_a_pack_needs_a_signature_or_an_api(tmp_path):
    issues = issues_of(with_fields(tmp_path, "", signature=False))
    assert any("give function_signature (one function) or api" in i for i in issues)


def test_old_packs_keep_loading_as_pure_functions(tmp_path):
    pack = load_pack(write_pack(tmp_path))
    assert pack.kind is ProblemKind.FUNCTION
    assert (pack.chapter, pack.api, pack.support_files, pack.alt_goldens) == ("", "", (), ())


def test_support_files_are_read_and_change_the_content_hash(tmp_path):
    path = with_fields(tmp_path, 'support_files = ["helpers.py", "conftest.py"]')
    (path / "helpers.py").write_text("class FakeClock:\n    pass\n")
    (path / "conftest.py").write_text("import pytest\n")
    pack = load_pack(path)
    assert [(f.name, f.text) for f in pack.support_files] == [
        ("helpers.py", "class FakeClock:\n    pass\n"), ("conftest.py", "import pytest\n")]
    before = pack.content_hash
    (path / "helpers.py").write_text("class FakeClock:\n    now = 0\n")
    assert load_pack(path).content_hash != before


@pytest.mark.parametrize("name", ["target.py", "test_submission.py", "../x.py", "sub/h.py",
                                  "Helpers.py", "notes.txt"])
def test_support_files_are_plain_module_names_never_the_runs_own(tmp_path, name):
    issues = issues_of(with_fields(tmp_path, f'support_files = ["{name}"]'))
    assert any("a support file is a module name" in i for i in issues), issues


def test_a_missing_or_broken_support_file_is_named(tmp_path):
    path = with_fields(tmp_path, 'support_files = ["helpers.py", "conftest.py"]')
    (path / "conftest.py").write_text("def broken(:\n")
    issues = issues_of(path)
    assert "helpers.py: support_files[0]: file is missing" in issues
    assert any(i.startswith("conftest.py: does not compile") for i in issues)


def test_further_goldens_carry_their_clause(tmp_path):
    path = with_fields(tmp_path, 'goldens = [{file = "goldens/b.py", clause = "the order is open"}]')
    (path / "goldens").mkdir()
    (path / "goldens" / "b.py").write_text("def add_one(x):\n    return 1 + x\n")
    pack = load_pack(path)
    assert [(g.name, g.clause) for g in pack.alt_goldens] == [
        (f"{ALT_GOLDEN_PREFIX}2", "the order is open")]
    assert ":" in pack.alt_goldens[0].name  # never a mutant's name (those have no ':')


def test_a_further_golden_must_define_the_api_and_differ(tmp_path):
    path = with_fields(tmp_path, 'goldens = [{file = "g2.py", clause = "x"}, '
                                 '{file = "g3.py", clause = "y"}]')
    (path / "g2.py").write_text("def other(x):\n    return x + 1\n")
    (path / "g3.py").write_text(GOLDEN)
    issues = issues_of(path)
    assert "g2.py: does not define add_one() named in function_signature" in issues
    assert any(i.startswith("g3.py: identical to golden") for i in issues)


def test_a_chapter_is_a_slug(tmp_path):
    issues = issues_of(with_fields(tmp_path, 'chapter = "Not A Slug"'))
    assert any("chapter" in i for i in issues)


def test_mutants_stay_whole_module_variants_of_a_class_pack(tmp_path):
    path = write_pack(tmp_path, golden=BOX, mutants={**MUTANTS},
                      toml=manifest(extra=API).replace(
                          'function_signature = "def add_one(x: int) -> int"\n', ""))
    pack = load_pack(path)
    assert {m.name for m in pack.mutants} == set(MUTANTS)
