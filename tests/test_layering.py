"""No Qt below the UI layer: every module outside ``ui`` imports with PySide6 blocked."""

from tests.import_blocker import import_with_blocked


def headless_modules() -> list[str]:
    """Every module of the package outside ``ui`` (and ``__main__``, which starts the CLI)."""
    import pkgutil

    import qa_arena_desktop

    return sorted(
        info.name for info in pkgutil.walk_packages(qa_arena_desktop.__path__, "qa_arena_desktop.")
        if not info.name.startswith("qa_arena_desktop.ui") and not info.name.endswith("__main__")
    )


def test_headless_packages_import_with_pyside6_blocked():
    modules = headless_modules()
    assert {"qa_arena_desktop.catalog.store", "qa_arena_desktop.judging.service",
            "qa_arena_desktop.practice.drafts", "qa_arena_desktop.classroom.batch",
            "qa_arena_desktop.cli.main"} <= set(modules)
    completed = import_with_blocked(["PySide6"], modules)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


def test_the_blocker_really_blocks_qt():
    completed = import_with_blocked(["PySide6"], ["PySide6.QtCore"])
    assert completed.returncode != 0
    assert "blocked import: PySide6" in completed.stderr
