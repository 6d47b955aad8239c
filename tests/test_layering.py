"""No Qt below the UI layer: catalog, judging, packs, practice and the CLI import without PySide6."""

import subprocess
import sys

HEADLESS_MODULES = [
    "qa_arena_desktop.catalog.store",
    "qa_arena_desktop.catalog.sync",
    "qa_arena_desktop.judging.service",
    "qa_arena_desktop.judging.docker_backend",
    "qa_arena_desktop.judging.image",
    "qa_arena_desktop.packs.loader",
    "qa_arena_desktop.cli.main",
    "qa_arena_desktop.cli.judge_cmd",
    "qa_arena_desktop.cli.catalog_cmds",
    "qa_arena_desktop.cli.engine_cmds",
]

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
try:
    import qa_arena_desktop.practice  # noqa: F401  (optional until the GUI lands)
except ModuleNotFoundError as exc:
    if exc.name != "qa_arena_desktop.practice":
        raise
print("ok")
"""


def test_headless_packages_import_with_pyside6_blocked():
    completed = subprocess.run([sys.executable, "-c", BLOCK_QT, *HEADLESS_MODULES],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


def test_the_blocker_really_blocks_qt():
    completed = subprocess.run([sys.executable, "-c", BLOCK_QT, "PySide6.QtCore"],
                               capture_output=True, text=True)
    assert completed.returncode != 0
    assert "Qt imported below the UI layer" in completed.stderr
