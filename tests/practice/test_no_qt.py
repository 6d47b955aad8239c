"""The practice helpers stay Qt-free: every module imports with PySide6 blocked."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import qa_arena_desktop.practice as practice

BLOCK_QT = """
import importlib, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError(f"Qt imported outside the ui package: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
for module in sys.argv[1:]:
    importlib.import_module(module)
print("ok")
"""


def test_every_practice_module_imports_without_qt():
    modules = ["qa_arena_desktop.practice"] + [
        f"qa_arena_desktop.practice.{info.name}" for info in pkgutil.iter_modules(practice.__path__)
    ]
    assert len(modules) > 5
    completed = subprocess.run([sys.executable, "-c", BLOCK_QT, *modules],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"
