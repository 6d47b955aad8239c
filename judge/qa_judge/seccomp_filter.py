"""A second seccomp filter, installed in each test process before any learner code runs.

The container's profile (qa_arena_desktop/judging/seccomp.py) lets the runner create
namespaces and mount tmpfs, because each run gets fresh ones. This filter takes those
powers away again from the test process and everything it starts: seccomp filters are
inherited and cannot be removed, only stacked. Without it a test could make a nested
user namespace and mount a cgroup or proc file system, reading counters that all runs of
a container share (see docs/reliability.md).

The filter is built as classic BPF by hand (no libseccomp in the image): check the
architecture, then refuse a short list of syscalls, and refuse ``clone`` with namespace
flags. ``clone3`` answers ENOSYS so that libc falls back to ``clone``, whose flags a
filter can read.
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct

EPERM = 1
ENOSYS = 38
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
X32_SYSCALL_BIT = 0x40000000

BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_JSET_K = 0x45
BPF_RET_K = 0x06

# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000

# Syscalls the test process never gets, by architecture: (audit arch, clone, clone3, {name: nr}).
DENIED = ("unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree",
          "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "sysinfo")
ARCHES: dict[str, tuple[int, int, int, dict[str, int]]] = {
    "x86_64": (0xC000003E, 56, 435, {
        "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
        "chroot": 161, "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "mount_setattr": 442, "sysinfo": 99}),
    "aarch64": (0xC00000B7, 220, 435, {
        "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41,
        "chroot": 51, "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "mount_setattr": 442, "sysinfo": 179}),
}


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def program(machine: str | None = None) -> bytes:
    """The filter for ``machine`` (``platform.machine()`` by default) as packed sock_filters."""
    arch, clone_nr, clone3_nr, numbers = ARCHES[machine or platform.machine()]
    errno_eperm = SECCOMP_RET_ERRNO | EPERM
    code = [
        _insn(BPF_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        _insn(BPF_JEQ_K, 1, 0, arch),
        _insn(BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
        _insn(BPF_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if arch == ARCHES["x86_64"][0]:  # the x32 ABI reaches the same calls by other numbers
        code += [_insn(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT), _insn(BPF_RET_K, 0, 0, errno_eperm)]
    for name in DENIED:
        code += [_insn(BPF_JEQ_K, 0, 1, numbers[name]), _insn(BPF_RET_K, 0, 0, errno_eperm)]
    code += [_insn(BPF_JEQ_K, 0, 1, clone3_nr), _insn(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS)]
    code += [
        _insn(BPF_JEQ_K, 0, 3, clone_nr),
        _insn(BPF_LD_W_ABS, 0, 0, 16),  # low 32 bits of args[0]: the flags
        _insn(BPF_JSET_K, 0, 1, NAMESPACE_FLAGS),
        _insn(BPF_RET_K, 0, 0, errno_eperm),
        _insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return b"".join(code)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(libc: ctypes.CDLL) -> None:
    """Install the filter on this process (and so on all it starts); raises OSError on failure."""
    code = program()
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS: " + os.strerror(ctypes.get_errno()))
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_SECCOMP: " + os.strerror(ctypes.get_errno()))
