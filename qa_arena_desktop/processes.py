"""Is a process still alive? Shared by crash recovery (catalog) and container cleanup (judging)."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """True when a process with this PID exists on this machine and is not a zombie (a killed
    process its parent has not reaped yet is dead for our purposes)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is just not ours to signal
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False  # no /proc (macOS): kill(pid, 0) is all we know
