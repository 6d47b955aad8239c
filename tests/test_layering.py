"""No Qt below the UI layer: every module outside ``ui`` imports with PySide6 blocked."""

import subprocess
import sys


def headless_modules() -> list[str]:
    """Every module of the package outside ``ui`` (and ``__main__``, which starts the CLI)."""
    import pkgutil

    import qa_arena_desktop

    return sorted(
        info.name for info in pkgutil.walk_packages(qa_arena_desktop.__path__, "qa_arena_desktop.")
        if not info.name.startswith("qa_arena_desktop.ui") and not info.name.endswith("__main__")
    )


BLOCK_QT = """
import importlib, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError(f"Qt imported below the UI layer: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
for module in sys.argv[1:]:
    importlib.import_module(module)
print("ok")
"""


def test_headless_packages_import_with_pyside6_blocked():
    modules = headless_modules()
    assert {"qa_arena_desktop.catalog.store", "qa_arena_desktop.judging.service",
            "qa_arena_desktop.practice.drafts", "qa_arena_desktop.classroom.batch",
            "qa_arena_desktop.cli.main"} <= set(modules)
    completed = subprocess.run([sys.executable, "-c", BLOCK_QT, *modules],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


def test_the_blocker_really_blocks_qt():
    completed = subprocess.run([sys.executable, "-c", BLOCK_QT, "PySide6.QtCore"],
                               capture_output=True, text=True)
    assert completed.returncode != 0
    assert "Qt imported below the UI layer" in completed.stderr
