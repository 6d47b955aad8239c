"""Before Qt starts: is there a screen to open a window on, and can Qt use it?

Without this, a missing display or a missing system library makes Qt abort the whole
process with a C++ message. Here each case gets one line saying what to do.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

# The libraries Qt 6.5+'s xcb platform plugin loads that desktops do not always have,
# with the Debian/Ubuntu package of each.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def display_problem() -> str:
    """Why no window can open here, with the fix; empty when Qt should start fine."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return ""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return ("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset). "
                "Run qa-arena from your desktop session, or use the command line "
                "(`qa-arena judge ...`, `qa-arena gui --screenshot OUT.png`)")
    if not os.environ.get("WAYLAND_DISPLAY"):
        missing = [package for library, package in XCB_LIBRARIES.items()
                   if ctypes.util.find_library(library) is None]
        if missing:
            return ("Qt needs system libraries to open a window on X11 that are not installed: "
                    f"{', '.join(missing)}. Install them (Debian/Ubuntu: `sudo apt-get install "
                    f"{' '.join(missing)}`) and start qa-arena again")
    return ""
