"""What a test process does before any learner code runs.

Each run gets, from its start, fresh kernel state of its own (see docs/reliability.md):

1. The zygote's child (``enter_namespaces``) makes new user, mount, PID, IPC, network,
   UTS, cgroup and time namespaces, maps only its own uid and gid, and sets the time
   namespace's monotonic and boot clocks to the same starting value for every run.
2. Its child (``prepare_run``) is PID 1 of the new PID namespace, so process ids start
   at 1 for every run and all its processes die with it. It moves into a root built with
   the image (nothing in it is dated by the container's start), mounts a fresh tmpfs on
   ``/work``, ``/tmp`` and ``/dev/shm`` (fresh inode numbers, nothing left by an
   earlier run, nothing it leaves outlives it), covers ``/proc`` and ``/sys`` with empty
   read-only tmpfs (no container-wide counters such as the cgroup's memory peak), brings
   up a loopback of its own, writes its two files, drops every capability and installs
   :mod:`seccomp_filter`, so that learner code cannot undo any of it.

Where the engine refuses user namespaces, the runner says so in its ``ready`` event and
runs at most one test process per container (strict isolation; see supervisor).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import platform
import signal
import socket
import struct
import sys
import time

from qa_judge import seccomp_filter

CLONE_NEWTIME = 0x80
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
ALL_NAMESPACES = (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET
                  | CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_NEWTIME)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 1, 2, 4, 0x4000, 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
CLOCK_START_S = 1000  # every run's monotonic and boot clocks start here
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1

WORK = "/work"
RUN_DIR = "/work/run"
HOME_DIR = "/work/home"
COVERED = ("/proc", "/sys")  # empty and read-only inside a run
FRESH = ("/work", "/tmp", "/dev/shm")  # a fresh writable tmpfs per run
# A run's root: a tree made when the image is built (judge/Dockerfile): its /etc (with
# hosts and hostname of its own), /dev (device nodes), mount points and /usr's symlinks.
RUN_ROOT = "/opt/qa-judge/root"
BOUND = (("/usr", "/usr"), ("/opt/qa-judge/qa_judge", "/opt/qa-judge/qa_judge"))
OLD_ROOT = "/mnt"  # where pivot_root puts the container's root, detached at once
MS_BIND, MNT_DETACH = 0x1000, 2


class SandboxError(Exception):
    """The sandbox could not be set up (a judge fault, never the learner's)."""


_LIBC: ctypes.CDLL | None = None


def libc() -> ctypes.CDLL:
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise SandboxError(f"{what}: {os.strerror(code)}")


def make_undumpable() -> None:
    """Same-uid processes cannot read this process's memory, environ or fds through /proc."""
    libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def enter_namespaces() -> None:
    """In the zygote's child: new namespaces for the next process this one forks."""
    uid, gid = os.getuid(), os.getgid()
    # A non-dumpable process's /proc/self files belong to root: it could not write its maps.
    # This process is a copy of the zygote, which holds nothing a run may not see.
    libc().prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    _check(libc().unshare(ALL_NAMESPACES), "unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")
    offsets = []
    for name, clock in (("monotonic", time.CLOCK_MONOTONIC), ("boottime", time.CLOCK_BOOTTIME)):
        now_ns = time.clock_gettime_ns(clock)
        offset_ns = CLOCK_START_S * 1_000_000_000 - now_ns
        seconds, nanos = divmod(offset_ns, 1_000_000_000)
        offsets.append(f"{name} {seconds} {nanos}")
    _write("/proc/self/timens_offsets", "\n".join(offsets) + "\n")


def namespaces_available() -> bool:
    """Whether this engine lets the runner make the namespaces a run needs (tried in a fork)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            enter_namespaces()
            inner = os.fork()
            if inner == 0:
                try:
                    _mount_fresh(16)
                    os._exit(0)
                except BaseException:  # noqa: BLE001
                    os._exit(1)
            _, status = os.waitpid(inner, 0)
            code = 0 if os.waitstatus_to_exitcode(status) == 0 else 1
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _mount(source: str, target: str, fstype: str, flags: int, data: str | None) -> None:
    _check(libc().mount(source.encode(), target.encode(), fstype.encode(), flags,
                        data.encode() if data else None), f"mount {target}")


def _mount_fresh(size_mb: int) -> None:
    """The run's file system: the image-built root (see ``RUN_ROOT``) with ``/usr`` and the
    runner's code bound in, fresh tmpfs where a run may write, empty ``/proc`` and ``/sys``.

    The container's own root is left behind (``pivot_root``): every inode a run can see
    then dates from the image build or from the run's own start, none from the container's
    start (``/etc/hosts``, ``/dev``, ``/`` itself are made by the engine when it creates a
    container). With golden always first, "how long ago did my container start?" would
    otherwise tell golden's run from the mutants' (docs/reliability.md, class 4).
    """
    _check(libc().mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    root = RUN_ROOT
    _mount(root, root, "", MS_BIND, None)  # pivot_root needs a mount point
    for source, target in BOUND:
        _mount(source, root + target, "", MS_BIND | MS_REC, None)
    for path in FRESH:
        _mount("tmpfs", root + path, "tmpfs", MS_NOSUID | MS_NODEV,
               f"size={size_mb}m,mode=0700,nr_inodes=16384")
    for path in COVERED:
        _mount("tmpfs", root + path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
               "size=4k,mode=0555")
    os.chdir(root)
    pivot_root = seccomp_filter.ARCHES[platform.machine()][3]["pivot_root"]
    _check(libc().syscall(pivot_root, b".", b"." + OLD_ROOT.encode()), "pivot_root")
    os.chdir("/")
    _check(libc().umount2(OLD_ROOT.encode(), MNT_DETACH), "detach the container's root")


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock.fileno(), SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock.fileno(), SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> None:
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(libc().capset(ctypes.byref(header), data), "drop capabilities")


def prepare_run(namespaced: bool, size_mb: int) -> None:
    """In the test process, before it reads its files: every place it can write is fresh."""
    libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    with contextlib.suppress(OSError):
        _write("/proc/self/oom_score_adj", "1000")  # the OOM killer picks the tests first
    if namespaced:
        _mount_fresh(size_mb)
        try:
            _loopback_up()
        except OSError as exc:
            if exc.errno != errno.ENODEV:
                raise SandboxError(f"loopback: {exc}") from exc
    for path in (RUN_DIR, HOME_DIR):
        os.makedirs(path, mode=0o700, exist_ok=True)


def lock_down(namespaced: bool) -> None:
    """The last step before learner code: no capabilities, the second seccomp filter."""
    sys.dont_write_bytecode = True  # nothing compiled from a run's files is ever written
    # A session and process group of its own: kill(0, ...) from the tests (their getppid()
    # is 0 in the new PID namespace) otherwise reached the zygote, in the same group.
    os.setsid()
    if namespaced:
        _drop_capabilities()
        try:
            seccomp_filter.install(libc())
        except (OSError, KeyError) as exc:
            raise SandboxError(f"seccomp filter: {exc}") from exc
