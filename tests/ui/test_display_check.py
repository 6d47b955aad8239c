"""A missing display or Qt's X11 library is one clear line, not a Qt abort."""


import subprocess
import sys

import pytest

from qa_arena_desktop.exit_codes import ExitCode
from qa_arena_desktop.ui import display_check


@pytest.fixture
def linux_desktop(monkeypatch):
    monkeypatch.setattr(display_check.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")


def test_no_display_at_all_is_explained(linux_desktop, monkeypatch):
    monkeypatch.delenv("DISPLAY")
    assert display_check.display_problem().startswith("no display to open the window on")


def test_missing_xcb_cursor_names_the_package(linux_desktop, monkeypatch):
    monkeypatch.setattr(display_check.ctypes.util, "find_library", lambda name: None)
    assert "libxcb-cursor0" in display_check.display_problem()


def test_a_usable_display_passes(linux_desktop, monkeypatch):
    monkeypatch.setattr(display_check.ctypes.util, "find_library", lambda name: "libx.so")
    assert display_check.display_problem() == ""


def test_an_explicit_qt_platform_is_trusted(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display_check.display_problem() == ""


def test_the_app_exits_with_the_line_instead_of_aborting(tmp_path):
    """A real process without a display: Qt would abort the whole process, not just the call."""
    env = {"PATH": "/usr/bin:/bin", "QA_ARENA_HOME": str(tmp_path)}
    completed = subprocess.run([sys.executable, "-m", "qa_arena_desktop"], env=env,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == ExitCode.NO_DISPLAY == 5
    assert completed.stderr.startswith("qa-arena: no display to open the window on")

