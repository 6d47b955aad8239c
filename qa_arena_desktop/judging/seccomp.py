"""The judge's seccomp profile: Docker's syscalls minus the ones tests never need.

Docker 20.10's default profile still lets an unprivileged process reach some
kernel surfaces that have had a string of local exploits, or that would let a
test look outside its own run: io_uring, ``ptrace`` of other processes (PID 1,
the runner, holds every variant's code), user namespaces, the kernel keyring,
AF_VSOCK sockets, and IPC objects that outlive their process (System V shared
memory, message queues and semaphores; POSIX message queues), through which one
variant's run could hand data to the next. This profile allows everything by default and refuses, with
EPERM, each family below; the container also drops every capability and sets
``no-new-privileges``, so syscalls that need a capability fail anyway.
Each refusal is pinned by an attack test (tests/judging/test_sandbox_attacks.py).
"""

from __future__ import annotations

import json
from functools import cache

EPERM = 1
ENOSYS = 38
AF_VSOCK = 40

DENIED_SYSCALLS: dict[str, tuple[str, ...]] = {
    "asynchronous I/O rings": ("io_uring_setup", "io_uring_enter", "io_uring_register"),
    "tracing other processes": (
        "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    ),
    # The runner itself makes fresh namespaces per run with unshare(), mounts a fresh
    # tmpfs in them and moves into the image-built root (mount, pivot_root, umount2); the
    # test process then gets a second filter that refuses all of these again
    # (judge/qa_judge/seccomp_filter.py). Outside a run's own user namespace they fail
    # anyway: the container has no capabilities. Joining another namespace is never needed.
    "namespaces": ("setns",),
    "kernel keyrings": ("keyctl", "add_key", "request_key"),
    "BPF, perf and fault handling": ("bpf", "perf_event_open", "userfaultfd"),
    "mounts": (
        "chroot", "move_mount", "open_tree", "fsopen",
        "fsconfig", "fsmount", "fspick", "mount_setattr",
    ),
    "kernel modules, reboot, swap, accounting": (
        "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
        "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog",
    ),
    "clocks": ("settimeofday", "clock_settime", "clock_adjtime", "adjtimex"),
    # Kernel objects that outlive the process that made them: killing a variant's processes
    # and wiping its files would not remove them, so one run could leave data for the next.
    "System V IPC and POSIX message queues": (
        "shmget", "shmat", "shmdt", "shmctl", "msgget", "msgsnd", "msgrcv", "msgctl",
        "semget", "semop", "semtimedop", "semctl", "mq_open", "mq_unlink", "mq_timedsend",
        "mq_timedreceive", "mq_notify", "mq_getsetattr",
    ),
    "file handles and odd personalities": (
        "name_to_handle_at", "open_by_handle_at", "personality", "vhangup", "iopl", "ioperm",
        "lookup_dcookie", "move_pages",
    ),
}

# clone() flags that create namespaces (CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER,
# NEWPID, NEWNET); plain fork/thread creation does not use them.
NAMESPACE_CLONE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000,
                         0x20000000, 0x40000000)


@cache
def profile() -> dict:
    rules: list[dict] = [
        {
            "names": sorted({name for names in DENIED_SYSCALLS.values() for name in names}),
            "action": "SCMP_ACT_ERRNO",
            "errnoRet": EPERM,
        },
        # clone3 cannot be filtered by flags (they sit in a struct): ENOSYS makes libc use clone.
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": ENOSYS},
        {
            "names": ["socket"],
            "action": "SCMP_ACT_ERRNO",
            "errnoRet": EPERM,
            "args": [{"index": 0, "value": AF_VSOCK, "op": "SCMP_CMP_EQ"}],
        },
    ]
    for flag in NAMESPACE_CLONE_FLAGS:
        rules.append({
            "names": ["clone"],
            "action": "SCMP_ACT_ERRNO",
            "errnoRet": EPERM,
            "args": [{"index": 0, "value": flag, "valueTwo": flag, "op": "SCMP_CMP_MASKED_EQ"}],
        })
    return {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": rules}


def security_opt() -> str:
    """The ``security_opt`` entry that applies the profile (Docker takes the JSON inline)."""
    return "seccomp=" + json.dumps(profile(), separators=(",", ":"))
