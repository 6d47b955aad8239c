"""Process-wide settings are made once at app start (ui/app.py), never by a window."""

from __future__ import annotations

import sys

from qa_arena_desktop.ui.app import GIL_SWITCH_INTERVAL_S, tune_threads


def test_the_switch_interval_is_set_at_app_start_and_a_window_leaves_it_alone(make_window):
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.004)
        make_window()
        assert sys.getswitchinterval() == 0.004
        tune_threads()
        assert sys.getswitchinterval() == GIL_SWITCH_INTERVAL_S
    finally:
        sys.setswitchinterval(before)
