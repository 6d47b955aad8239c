"""The authoring package and the mutants command run headless: no PySide6 import."""

import subprocess
import sys

CODE = """
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
MODULES = ["qa_arena_desktop.authoring.mutation", "qa_arena_desktop.authoring.checking",
           "qa_arena_desktop.authoring.draft", "qa_arena_desktop.authoring.pack_writer",
           "qa_arena_desktop.cli.mutants_cmd"]


def test_authoring_imports_with_pyside6_blocked():
    completed = subprocess.run([sys.executable, "-c", CODE, *MODULES], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"
