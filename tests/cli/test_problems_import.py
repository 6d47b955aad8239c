"""`qa-arena problems import`: packs from a USB stick join the catalog; bad ones are named."""

import json

from qa_arena_desktop.packs.loader import pack_bytes_for_zip
from tests.cli.test_judge_command import run_cli
from tests.packs.factory import write_pack


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
