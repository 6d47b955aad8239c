import pytest

from target import prune_backups

DATES = ["2024-01-15", "2023-12-31", "2024-02-01", "2024-01-02"]


@pytest.fixture
def folder(tmp_path):
    for date in DATES:
        (tmp_path / f"backup-{date}.tar").write_text(date)
    (tmp_path / "notes.txt").write_text("keep me")
    (tmp_path / "backup-latest.tar").write_text("not dated")
    return tmp_path


def names(folder):
    return sorted(path.name for path in folder.iterdir())


def test_the_newest_are_kept(folder):
    prune_backups(folder, keep=2)
    assert names(folder) == ["backup-2024-01-15.tar", "backup-2024-02-01.tar",
                             "backup-latest.tar", "notes.txt"]


def test_names_are_returned_not_paths(folder):
    deleted = prune_backups(folder, keep=3)
    assert deleted and all(name.startswith("backup-") for name in deleted)


def test_keep_one(folder):
    prune_backups(folder, keep=1)
    assert [n for n in names(folder) if n[7:8].isdigit()] == ["backup-2024-02-01.tar"]


def test_keeping_more_than_there_are_deletes_nothing(folder):
    assert prune_backups(folder, keep=10) == []
    assert len(names(folder)) == 6


@pytest.mark.parametrize("keep", [0, -1])
def test_keeping_nothing_is_refused(folder, keep):
    with pytest.raises(ValueError):
        prune_backups(folder, keep=keep)
    assert len(names(folder)) == 6
