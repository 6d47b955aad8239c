"""Is a process still alive? Shared by crash recovery (catalog) and container cleanup (judging)."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """True when a process with this PID exists on this machine (even if not ours)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is just not ours to signal
    return True
