"""Import modules in a fresh interpreter with some top-level packages made unimportable."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable

BLOCKER = """
import importlib, sys
BLOCKED = tuple(sys.argv[1].split(","))
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"blocked import: {name}")
        return None
sys.meta_path.insert(0, Block())
for module in sys.argv[2:]:
    importlib.import_module(module)
print("ok")
"""


def import_with_blocked(blocked: Iterable[str], modules: Iterable[str]) -> subprocess.CompletedProcess:
    """Exit code 0 and "ok" when every module imported without touching a blocked package."""
    return subprocess.run([sys.executable, "-c", BLOCKER, ",".join(blocked), *modules],
                          capture_output=True, text=True)
