"""The attack suite: hostile learner test files, judged normally against a real engine.

Most attacks are written as *probes*: a test file that attempts the attack and
asserts that it was refused. When the sandbox holds, the probe passes on golden
and on every mutant (SUCCESS, every mutant SURVIVED); if any attack got through,
the probe fails somewhere and the judge reports it. Every test also checks that
no container is left behind (the `no_leftover_containers` fixture).
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import MUTANTS, REFERENCE, manifest, write_pack

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftover_containers")]


@pytest.fixture
def judge(tmp_path: Path):
    pack_dir = write_pack(tmp_path / "packs", mutants=MUTANTS,
                          toml=manifest().replace("time_limit_s = 5", "time_limit_s = 2"))
    pack = load_pack(pack_dir)
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    service = JudgingService(catalog, DockerBackend())

    def run(source: str) -> JudgeResult:
        started = time.monotonic()
        result = service.judge(pack, textwrap.dedent(source))
        assert time.monotonic() - started < 60, "the run did not end in bounded time"
        return result

    def log(result: JudgeResult) -> str:
        return store.get_submission(catalog, result.submission_id).execution_log

    run.log = log  # type: ignore[attr-defined]
    yield run
    catalog.close()


def assert_contained(result: JudgeResult) -> None:
    """The probe passed everywhere: SUCCESS with every mutant surviving."""
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert [m.status for m in result.mutants] == [MutantStatus.SURVIVED] * len(result.mutants), [
        (m.name, m.message) for m in result.mutants
    ]


def test_fork_bomb_is_contained_and_ends_in_bounded_time(judge):
    result = judge("""
        import os
        def test_bomb():
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
    """)
    assert result.status is SubmissionStatus.FAILURE
    assert "time limit" in result.message


def test_thread_bomb_is_contained_by_the_pids_limit(judge):
    result = judge("""
        import threading, time
        from target import add_one
        def test_threads():
            started = 0
            try:
                for _ in range(10_000):
                    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
                    started += 1
            except RuntimeError:
                pass
            assert started < 100, started
            assert add_one(1) == 2
    """)
    assert result.status is SubmissionStatus.SUCCESS, result.message


def test_memory_bomb_on_golden_is_failure_naming_the_memory_limit(judge):
    result = judge("""
        def test_bomb():
            blocks = []
            while True:
                blocks.append(bytearray(20_000_000))
    """)
    assert result.status is SubmissionStatus.FAILURE
    assert "memory limit" in result.message


def test_memory_bomb_on_mutants_only_is_memory(judge):
    result = judge("""
        from target import add_one
        def test_bomb_when_wrong():
            if add_one(1) != 2:
                blocks = []
                while True:
                    blocks.append(bytearray(20_000_000))
    """)
    assert result.status is SubmissionStatus.SUCCESS
    assert {m.status for m in result.mutants} == {MutantStatus.MEMORY}
    assert result.score == 100.0


def test_endless_loop_on_mutants_only_is_timeout_and_counts_as_killed(judge):
    result = judge("""
        from target import add_one
        def test_spin_when_wrong():
            while add_one(1) != 2:
                pass
    """)
    assert result.status is SubmissionStatus.SUCCESS
    assert {m.status for m in result.mutants} == {MutantStatus.TIMEOUT}
    assert result.score == 100.0


def test_cpu_hog_on_golden_is_failure_naming_the_time_limit(judge):
    result = judge("""
        def test_hog():
            x = 0
            while True:
                x = (x * 31 + 7) % 1_000_003
    """)
    assert result.status is SubmissionStatus.FAILURE
    assert "time limit of 2 s" in result.message


def test_filling_every_writable_place_stops_at_the_tmpfs_limit(judge):
    assert_contained(judge("""
        import os
        def test_fill():
            for place in ("/work/run", "/work/home", "/tmp"):
                written = 0
                try:
                    with open(os.path.join(place, "fill.bin"), "wb") as handle:
                        while written < 512 * 1024 * 1024:
                            handle.write(b"x" * 1_048_576)
                            written += 1_048_576
                except OSError:
                    pass
                assert written < 100 * 1024 * 1024, (place, written)
    """))


def test_writes_outside_the_work_dir_are_refused(judge):
    assert_contained(judge("""
        import os, site, pytest
        TARGETS = ["/etc/evil", "/evil", "/usr/lib/python3/dist-packages/evil.py",
                   "/home/evil", "/root/evil", "/opt/qa-judge/runner.py", "/var/evil"]
        @pytest.mark.parametrize("path", TARGETS)
        def test_refused(path):
            with pytest.raises(OSError):
                with open(path, "w") as handle:
                    handle.write("x")
    """))


def test_network_egress_and_the_host_are_unreachable(judge):
    assert_contained(judge("""
        import os, socket, pytest
        @pytest.mark.parametrize("address", [("1.1.1.1", 53), ("172.17.0.1", 2375),
                                             ("172.17.0.1", 2376), ("10.0.2.2", 80),
                                             ("127.0.0.1", 2375)])
        def test_no_connection(address):
            with pytest.raises(OSError):
                socket.create_connection(address, timeout=1)
        def test_no_docker_socket():
            assert not os.path.exists("/var/run/docker.sock")
            assert not os.path.exists("/run/docker.sock")
        def test_only_loopback_interface():
            names = {name for _, name in socket.if_nameindex()}
            assert names <= {"lo"}, names
    """))


def test_state_is_never_carried_between_variant_runs(judge):
    assert_contained(judge("""
        import os, subprocess, sys
        PLACES = ["marker", "/tmp/marker", os.path.expanduser("~/marker"), "/work/marker"]
        if os.path.isdir("/dev/shm"):
            PLACES.append("/dev/shm/marker")
        def test_no_marker_from_an_earlier_run():
            others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in
                      (1, os.getpid())]
            found = [p for p in PLACES if os.path.exists(p)]
            leftover_env = os.environ.get("QA_MARKER")
            # leave traces for the next run: files, a detached process, an env var
            for place in PLACES:
                with open(place, "w") as handle:
                    handle.write("seen")
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                             start_new_session=True)
            os.environ["QA_MARKER"] = "1"
            assert not found, found
            assert not others, others
            assert leftover_env is None
    """))


def test_ipc_objects_that_outlive_a_process_cannot_carry_data_between_runs(judge):
    """System V shared memory, message queues, semaphores and POSIX message queues survive
    their creator: refused by the seccomp profile (and removed between runs anyway)."""
    assert_contained(judge("""
        import ctypes, errno, os
        libc = ctypes.CDLL(None, use_errno=True)
        CREATE = 0o1000 | 0o600  # IPC_CREAT
        def created(result):
            error = ctypes.get_errno()
            assert result != -1 or error in (errno.EPERM, errno.ENOSYS), os.strerror(error)
            return result != -1
        def test_sysv_shared_memory():
            assert not created(libc.shmget(0x5151, 4096, CREATE))
        def test_sysv_message_queue():
            assert not created(libc.msgget(0x5152, CREATE))
        def test_sysv_semaphores():
            assert not created(libc.semget(0x5153, 1, CREATE))
        def test_posix_message_queue():
            assert not created(libc.mq_open(b"/qa-arena-probe", os.O_CREAT | os.O_RDWR,
                                            0o600, None))
    """))


OBSERVE = """
import hashlib, os, socket, sys
def mounts():
    # mount point, type and options: the same in every container (overlay paths are not)
    lines = []
    if not os.path.exists("/proc/self/mountinfo"):
        return "no /proc"  # a run in its own namespaces sees an empty /proc
    for line in open("/proc/self/mountinfo"):
        left, _, right = line.partition(" - ")
        fields = left.split()
        lines.append((fields[4], fields[5], right.split()[0]))
    return sorted(lines)
def observations():
    import target
    def read(path):
        try:
            with open(path, "rb") as handle:
                return handle.read().decode("utf-8", "replace")
        except OSError as exc:
            return type(exc).__name__
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    seen = {
        "cwd": os.getcwd(), "argv": sys.argv, "env": env, "hostname": socket.gethostname(),
        "pid1": read("/proc/1/cmdline"), "pid1_environ": read("/proc/1/environ"),
        "pid1_mem": read("/proc/1/mem")[:40], "mounts": mounts(),
        "target_file": target.__file__, "path": sys.path, "uid": (os.getuid(), os.getgid()),
        "work": sorted(os.listdir("/work")), "run": sorted(os.listdir(".")),
        "tmp": sorted(os.listdir("/tmp")),
        "processes": len([p for p in os.listdir("/proc") if p.isdigit()]),
    }
    return seen
def digest():
    return hashlib.sha256(repr(observations()).encode()).hexdigest()[:16]
"""


def test_nothing_but_behaviour_tells_the_variants_apart(judge):
    # Calibrate: golden reports what it sees (its failure message carries it).
    calibration = judge(OBSERVE + "def test_report():\n    assert False, digest() + repr(observations())\n")
    assert calibration.status is SubmissionStatus.FAILURE
    # the run's cwd is /work/run, which the host shows the learner as "." (no in-container
    # paths in messages: judging/disclosure.py)
    assert "'cwd': '.'" in calibration.message
    # The supervisor (PID 1 of the container) is unreachable: its /proc entries are either
    # hidden (a run in its own namespaces sees an empty /proc) or unreadable (non-dumpable).
    for field in ("pid1_environ", "pid1_mem"):
        assert (f"'{field}': 'PermissionError'" in calibration.message
                or f"'{field}': 'FileNotFoundError'" in calibration.message), field
    seen = calibration.message.split("AssertionError: ", 1)[-1][:16]
    # Then every variant, in another container, must see exactly the same.
    assert_contained(judge(OBSERVE + f"def test_same():\n    assert digest() == {seen!r}\n"))


# Every inode a run can see, with its times, outside the places made fresh for each run.
STAMPS = """
import hashlib, os
FRESH = ("/proc", "/sys", "/work", "/tmp", "/dev/shm")
def stamps():
    seen = []
    for root, dirs, files in os.walk("/"):
        if root.startswith(FRESH):
            dirs[:] = []
            continue
        for name in [".", *dirs, *files]:
            path = os.path.join(root, name)
            if path.startswith(FRESH) and name != ".":
                continue
            try:
                st = os.lstat(path)
            except OSError as exc:
                seen.append((path, type(exc).__name__))
                continue
            seen.append((path, st.st_mtime_ns, st.st_ctime_ns))
    return sorted(seen)
def youngest(now):
    return min((now - max(s[1:]) / 1e9, s[0]) for s in stamps() if len(s) == 3)
def digest():
    return hashlib.sha256(repr(stamps()).encode()).hexdigest()[:16]
"""


def test_golden_goes_first_yet_no_run_can_tell_how_long_its_container_has_run(judge):
    # Golden runs first in its container. A test that measured its container's age ("the
    # youngest file I can see outside my own run's files was made 2 s ago") would then pass
    # on golden and fail on every later mutant. Nothing a run sees may be dated by the
    # container's start: the same files with the same times in every container.
    calibration = judge(STAMPS + """
import time
def test_report():
    assert False, digest() + " " + repr(youngest(time.time()))
""")
    assert calibration.status is SubmissionStatus.FAILURE
    seen = calibration.message.split("AssertionError: ", 1)[-1][:16]
    # Other containers, started later: any inode dated by a container's start differs.
    assert_contained(judge(STAMPS + f"""
def test_same_files_same_times():
    assert digest() == {seen!r}, {calibration.message[-300:]!r}
"""))


def test_no_descriptor_or_start_time_a_run_inherits_dates_its_container(judge):
    # The zygote prepares pytest once for every run (its configuration and session); what
    # that opens or stamps is inherited by each test process. A descriptor on the
    # container's own /dev/null (made by the engine at the container's start) or a start
    # time taken in the zygote would date the container, like a file would. Each must be
    # the run's own: the same /dev/null as its stdin, times no older than its own /work
    # (a tmpfs mounted when the run began).
    assert_contained(judge("""
        import logging, os, stat
        def test_descriptors_are_the_runs_own():
            null = os.stat("/dev/null")
            for fd in range(256):
                try:
                    status = os.fstat(fd)
                except OSError:
                    continue
                if stat.S_ISCHR(status.st_mode):
                    assert (status.st_dev, status.st_ino) == (null.st_dev, null.st_ino), fd
        def test_start_times_are_the_runs_own(request):
            began = os.stat("/work").st_ctime
            reporter = request.config.pluginmanager.get_plugin("terminalreporter")
            assert logging._startTime >= began
            assert reporter._sessionstarttime >= began
    """))


def test_golden_is_judged_first_in_its_container(tmp_path):
    pack = load_pack(write_pack(tmp_path / "packs", mutants=MUTANTS))
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    backend = DockerBackend(shards=1)
    try:
        for _ in range(3):
            result = JudgingService(catalog, backend).judge(pack, REFERENCE)
            assert result.status is SubmissionStatus.SUCCESS, result.message
            log = store.get_submission(catalog, result.submission_id).execution_log
            order = [line.split(":")[0] for line in log.splitlines() if " ms" in line]
            assert order[0] == "golden" and len(order) == 1 + len(MUTANTS), order
    finally:
        backend.close()
        catalog.close()


def test_kernel_surfaces_outside_the_default_profile_are_refused(judge):
    assert_contained(judge("""
        import ctypes, errno, os, socket, pytest
        libc = ctypes.CDLL(None, use_errno=True)
        def refused(number, *args):
            ctypes.set_errno(0)
            result = libc.syscall(number, *args)
            return result == -1 and ctypes.get_errno() in (errno.EPERM, errno.ENOSYS)
        def test_io_uring():
            params = ctypes.create_string_buffer(120)
            assert refused(425, 4, params)          # io_uring_setup
        def test_ptrace_of_pid_1():
            assert refused(101, 16, 1, 0, 0)        # ptrace(PTRACE_ATTACH, 1)
        def test_vsock():
            with pytest.raises(OSError):
                socket.socket(40, socket.SOCK_STREAM)   # AF_VSOCK
        def test_user_namespace():
            assert refused(272, 0x10000000)          # unshare(CLONE_NEWUSER)
        def test_mount_namespace():
            assert refused(272, 0x00020000)          # unshare(CLONE_NEWNS)
        def test_keyrings():
            assert refused(248, b"user", b"k", b"v", 1, -3)   # add_key
            assert refused(250, 0, -3, 0, 0, 0)               # keyctl
        def test_bpf_and_perf():
            assert refused(321, 0, 0, 0)             # bpf
            assert refused(298, 0, 0, -1, -1, 0)     # perf_event_open
        def test_process_vm_readv_of_pid_1():
            assert refused(310, 1, 0, 0, 0, 0, 0)
    """))
