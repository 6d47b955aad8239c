"""Screenshots of the studio for the docs, from the real app and the real judge.

``python -m qa_arena_desktop.ui.studio.screenshot OUT_DIR`` opens a copy of the
bundled ``clamp`` pack, generates candidates against its reference tests, adds
one that survives (``<`` → ``<=`` on the lower bound: equivalent to golden),
validates, and saves ``studio.png`` (the Validate tab: kill matrix with the
survivor flagged) and ``studio-mutants.png`` (the mutant preview), offscreen.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

SIZE = (1400, 720)
TIMEOUT_S = 180.0


def take(out_dir: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from qa_arena_desktop import paths
    from qa_arena_desktop.context import open_catalog
    from qa_arena_desktop.ui.screenshot import settle, wait_until
    from qa_arena_desktop.ui.studio.studio_window import TAB_MUTANTS, TAB_VALIDATE, StudioWindow
    from qa_arena_desktop.ui.theme import LIGHT, apply_theme

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    apply_theme(app, LIGHT)
    catalog, _ = open_catalog()
    studio = StudioWindow(catalog)
    try:
        with tempfile.TemporaryDirectory(prefix="qa-arena-studio-shot-") as temporary:
            folder = Path(temporary) / "clamp"
            shutil.copytree(paths.problems_dir() / "clamp", folder)
            studio.resize(*SIZE)
            studio.show()
            studio.open_path(folder)
            studio.generate()
            if not wait_until(lambda: studio.candidates.result is not None, TIMEOUT_S):
                sys.stderr.write("candidates did not arrive in time\n")
                return 1
            result = studio.candidates.result
            assert result is not None
            index = next(i for i, c in enumerate(result.candidates)
                         if c.operator == "comparison-boundary" and "`<` → `<=`" in c.description)
            item = studio.candidates.tree.topLevelItem(index)
            assert item is not None
            studio.candidates.tree.setCurrentItem(item)
            studio.candidates.name.setText("low-bound-inclusive")
            studio.candidates.name.textEdited.emit("low-bound-inclusive")
            studio.candidates.hint.setText("What is returned for a value equal to low?")
            studio.candidates.hint.textEdited.emit("What is returned for a value equal to low?")
            studio.candidates.tick(index)
            studio.candidates.add_button.click()
            studio.validate()
            if not wait_until(lambda: studio.validation.result is not None, TIMEOUT_S):
                sys.stderr.write("validation did not finish in time\n")
                return 1
            out_dir.mkdir(parents=True, exist_ok=True)
            studio.tabs.setCurrentIndex(TAB_VALIDATE)
            settle()
            studio.grab().save(str(out_dir / "studio.png"))
            studio.tabs.setCurrentIndex(TAB_MUTANTS)
            studio.mutants.select_name("low-bound-inclusive")
            settle()
            studio.grab().save(str(out_dir / "studio-mutants.png"))
            print(f"saved {out_dir / 'studio.png'} and {out_dir / 'studio-mutants.png'}")
            return 0
    finally:
        studio.shutdown()
        catalog.close()


if __name__ == "__main__":
    sys.exit(take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
