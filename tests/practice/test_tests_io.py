"""Opening and saving test files: the judge's rules, said in words, before a draft is replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_arena_desktop.judging.precheck import MAX_TEST_FILE_BYTES
from qa_arena_desktop.practice.tests_io import TestFileError, open_test_file, save_test_file


def test_a_utf8_file_opens_with_its_bom_and_crlf_normalised(tmp_path: Path):
    path = tmp_path / "test_win.py"
    path.write_bytes(b"\xef\xbb\xbfdef test_a():\r\n    assert 'caf\xc3\xa9'\r\n")
    assert open_test_file(path) == "def test_a():\n    assert 'café'\n"


@pytest.mark.parametrize(("content", "said"), [
    (b"def test_a():\n    assert '\xe9'\n", "is not UTF-8 text (byte 0xe9 on line 2)"),
    (b"def test_a():\n    pass\n\x00\x01binary", "is not a text file"),
    (b"#" * (MAX_TEST_FILE_BYTES + 1), "may be at most 256 KiB"),
    (b"#" * (MAX_TEST_FILE_BYTES * 5), "is over 1 MiB"),
])
def test_files_the_judge_would_refuse_are_refused_in_words(tmp_path: Path, content: bytes,
                                                           said: str):
    path = tmp_path / "test_bad.py"
    path.write_bytes(content)
    with pytest.raises(TestFileError) as caught:
        open_test_file(path)
    assert said in str(caught.value) and str(caught.value).startswith("test_bad.py ")
    assert "Traceback" not in str(caught.value) and "Error(" not in str(caught.value)


def test_saving_writes_the_text_and_refuses_a_missing_folder(tmp_path: Path):
    path = tmp_path / "test_out.py"
    save_test_file(path, "def test_a():\n    assert 'é'\n")
    assert path.read_text(encoding="utf-8") == "def test_a():\n    assert 'é'\n"
    with pytest.raises(TestFileError, match="does not exist"):
        save_test_file(tmp_path / "nope" / "test_x.py", "")
    with pytest.raises(TestFileError, match="is a folder"):
        save_test_file(tmp_path, "")
