"""Judge integrity: cheating test files, judged on a real engine with warm containers.

Each attack is what a hostile learner would submit to score without testing, to break
the judge, or to reach a later run. The verdict each must get:

- a cheat scores at most 30 (every mutant survives, or golden fails) or is flagged;
- a run that breaks the result protocol is the learner's FAILURE (on golden) or a
  KILLED mutant, never ERROR;
- afterwards, the next honest submission to the same (warm) backend gets exactly the
  verdicts it gets on a fresh one.

The backend keeps containers warm between submissions (as the app and the judge server
do), so every attack here also tries to reach the *next submission*.
See docs/reliability.md, "Judge integrity", for the classes and how each is closed.
"""

from __future__ import annotations

import pytest

from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from tests.judging.warm_judge import assert_all_survived, assert_cheat_failed

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftover_containers")]


# ---- 1. the test process holds nothing of the request ----------------------------------

def test_gc_finds_no_request_nor_golden_marker(judge):
    # The cheat: pass where a variant marked golden (or any other variant's source) can be
    # found in memory, fail elsewhere. 100 on the old runner; FAILURE now.
    result = judge("""
        import gc
        def seen():
            for obj in gc.get_objects():
                if isinstance(obj, dict) and (obj.get("golden") is True or "variants" in obj):
                    return True
                if isinstance(obj, str) and "return x + 2" in obj:
                    return True
            return False
        def test_cheat():
            assert seen()
    """)
    assert_cheat_failed(result)
    assert result.status is SubmissionStatus.FAILURE
    judge.honest_after()


def test_frames_above_the_test_hold_no_request(judge):
    result = judge("""
        import sys
        def names():
            frame, found = sys._getframe(), set()
            while frame is not None:
                found.update(frame.f_locals)
                frame = frame.f_back
            return found
        def test_cheat():
            assert {"payload", "variant", "variants", "request"} & names()
    """)
    assert_cheat_failed(result)
    assert result.status is SubmissionStatus.FAILURE


OBSERVE_SELF = """
    import os, sys
    def seen():
        fds = []
        for fd in range(3, 64):
            try:
                os.fstat(fd)
                fds.append(fd)
            except OSError:
                pass
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        return repr((sorted(env.items()), sys.argv, os.getcwd(), fds, os.getpid(),
                     os.getppid(), sorted(os.listdir("/work")), sorted(os.listdir("/tmp"))))
"""


def test_environment_argv_and_fds_are_the_same_for_every_variant(judge):
    # Everything a run can see of itself, asserted equal to what golden saw: if anything
    # differed between variants, a mutant would be "killed" by this probe.
    # (hex, so that the host's clean-up of messages, which turns in-container paths such
    # as the run dir into plain names, cannot change what the probe compares)
    calibration = judge(OBSERVE_SELF + """
    def test_report():
        assert False, "SEEN" + seen().encode().hex()
    """)
    assert calibration.status is SubmissionStatus.FAILURE
    seen = calibration.message.split("SEEN", 1)[1].split("\n")[0].split()[0]
    assert "/work/run" in bytes.fromhex(seen).decode()  # the probe saw its own run dir
    probe = judge(OBSERVE_SELF + f"""
    def test_same():
        assert seen().encode().hex() == {seen!r}
    """)
    assert_all_survived(probe)


# ---- 2. what comes back from a run is untrusted -----------------------------------------

def test_a_plugin_that_forges_passes_scores_no_more_than_passing_tests(judge):
    result = judge("""
        import pytest
        class Forger:
            @pytest.hookimpl(hookwrapper=True)
            def pytest_runtest_makereport(self, item, call):
                outcome = yield
                report = outcome.get_result()
                report.outcome = "passed"
                report.longrepr = None
        def test_register(request):
            request.config.pluginmanager.register(Forger(), "forger")
        def test_wrong():
            assert False
    """)
    assert_cheat_failed(result)


def test_garbage_on_every_descriptor_is_the_learners_crash_not_a_judge_error(judge):
    result = judge("""
        import os
        def test_garbage():
            for fd in range(3, 64):
                for junk in (b'{"exit_code": 0, "tests": [{"id": 7}]}\\n', b"\\xff" * 70000,
                             b'{"sealed": true}\\n'):
                    try:
                        os.write(fd, junk)
                    except OSError:
                        pass
            os._exit(0)
    """)
    assert result.status is SubmissionStatus.FAILURE, result.message
    assert result.score == 0


def test_a_forged_flood_on_a_mutant_kills_that_mutant(judge):
    # Protocol broken only where the code under test behaves differently: those mutants are
    # killed (their runs crashed), golden passes, nothing is an ERROR.
    result = judge("""
        import json, os
        from target import add_one
        def test_flood():
            if add_one(-1) != 0:
                record = json.dumps({"exit_code": 0, "tests": [
                    {"id": "t%d" % i, "outcome": "passed", "message": "x" * 5000}
                    for i in range(800)], "collect_errors": [], "memory_error": False})
                for fd in range(3, 64):
                    try:
                        os.write(fd, record.encode())
                    except OSError:
                        pass
                os._exit(0)
    """)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    statuses = {m.name: m.status for m in result.mutants}
    assert statuses["wrong-below-zero"] is MutantStatus.KILLED
    assert statuses["subtracts"] is MutantStatus.KILLED
    assert statuses["wrong-at-zero"] is MutantStatus.SURVIVED
    judge.honest_after()


def test_a_lone_surrogate_in_a_message_is_judged_not_an_error(judge):
    result = judge("""
        def test_odd_text():
            assert False, "bad \\ud800 text"
    """)
    assert result.status is SubmissionStatus.FAILURE, result.message
    assert "bad" in result.message


def test_signals_to_pid_1_and_to_everything_change_nothing(judge):
    result = judge("""
        import os, signal
        from target import add_one
        def test_signals():
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                try:
                    os.kill(1, sig)
                except (OSError, KeyboardInterrupt):
                    pass
            assert add_one(0) == 1
        def test_kill_all():
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
        def test_kill_my_process_group():
            # getppid() is 0 in a fresh PID namespace: kill(0) is the caller's process group
            for pid in (0, os.getppid()):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
    """)
    assert result.status is not SubmissionStatus.ERROR, result.message
    judge.honest_after()


# ---- 3. nothing a run does outlives it --------------------------------------------------

LEAVE_MARKERS = """
    import os, stat
    PLACES = ["/work/run", "/work/home", "/work", "/tmp", "/dev/shm"]
    def leftovers():
        found = []
        for place in PLACES:
            try:
                names = os.listdir(place)
            except OSError:
                continue
            found += [place + "/" + n for n in names if n.startswith("qa-marker")]
        return found
    def leave():
        for place in PLACES:
            try:
                path = os.path.join(place, "qa-marker-dir")
                os.makedirs(path, exist_ok=True)
                open(os.path.join(path, "data"), "w").write("here")
                os.chmod(path, 0)
                os.chmod(place, stat.S_IRUSR | stat.S_IXUSR)  # the place itself read-only
            except OSError:
                pass
    def test_nothing_left_and_leave_something():
        found = leftovers()
        leave()
        assert found == []
"""


def test_undeletable_files_reach_neither_later_variants_nor_the_next_submission(judge):
    assert_all_survived(judge(LEAVE_MARKERS))
    assert_all_survived(judge(LEAVE_MARKERS))  # the next submission, in the same containers
    judge.honest_after()


def test_planted_bytecode_does_not_reach_a_later_run(judge):
    # An unchecked-hash .pyc (PEP 552) for `target` that makes add_one wrong: were it used by
    # a later run, the pack's own reference tests would fail on golden.
    judge("""
        import importlib.util, marshal, os, sys
        def plant(directory):
            code = compile("def add_one(x):\\n    return 41\\n", "target.py", "exec")
            flags = (0b01).to_bytes(4, "little")  # hash-based, unchecked
            data = importlib.util.MAGIC_NUMBER + flags + b"\\0" * 8 + marshal.dumps(code)
            tag = sys.implementation.cache_tag
            for where in (directory, os.path.join(directory, "__pycache__")):
                try:
                    os.makedirs(where, exist_ok=True)
                    open(os.path.join(where, f"target.{tag}.pyc"), "wb").write(data)
                    open(os.path.join(where, "target.pyc"), "wb").write(data)
                except OSError:
                    pass
        def test_plant():
            for directory in (".", "/tmp", "/work", "/work/home"):
                plant(directory)
    """)
    for _ in range(2):
        judge.honest_after()


# ---- 4. no kernel state carries a value from one run to the next ------------------------

OBSERVE_KERNEL = """
    import os, socket, subprocess, sys, time
    def observe():
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()
        with open("/tmp/probe", "w") as handle:
            handle.write("x")
        seen = {
            "pid": os.getpid(), "child_pid": child.pid, "tmp_inode": os.stat("/tmp/probe").st_ino,
            "cwd_inode": os.stat(".").st_ino, "cgroup": sorted(os.listdir("/sys/fs/cgroup"))
            if os.path.isdir("/sys/fs/cgroup") else None,
            "proc": sorted(os.listdir("/proc")), "monotonic_10s": int(time.monotonic() // 10),
            "boottime_10s": int(time.clock_gettime(time.CLOCK_BOOTTIME) // 10),
        }
        for name in ("memory.peak", "memory.current", "memory/memory.max_usage_in_bytes"):
            try:
                seen[name] = open("/sys/fs/cgroup/" + name).read()
            except OSError as exc:
                seen[name] = type(exc).__name__
        server = socket.socket()
        try:
            server.bind(("127.0.0.1", 45678))  # fails while an earlier run's TIME_WAIT lasts
            seen["bind"] = "ok"
            server.listen()
            client = socket.create_connection(("127.0.0.1", 45678))
            peer, _ = server.accept()
            peer.close()  # the accepting side closes first: it holds the TIME_WAIT
            client.close()
        except OSError as exc:
            seen["bind"] = type(exc).__name__
        finally:
            server.close()
        return repr(sorted(seen.items()))
"""


def test_kernel_counters_read_the_same_in_every_run_and_every_submission(judge):
    calibration = judge(OBSERVE_KERNEL + """
    def test_report():
        assert False, "SEEN" + observe()
    """)
    assert calibration.status is SubmissionStatus.FAILURE
    seen = calibration.message.split("SEEN", 1)[1].split("\n")[0]
    assert "'pid', 1)" in seen and "'child_pid', 2)" in seen, seen
    probe = OBSERVE_KERNEL + f"""
    def test_same():
        assert observe() == {seen!r}
    """
    assert_all_survived(judge(probe))
    assert_all_survived(judge(probe))  # the next submission, in the same containers


def test_a_majority_vote_over_earlier_runs_kills_nothing(judge):
    # The cheat from the report: remember outputs across runs through any shared place and
    # fail when mine differ from what most earlier runs saw. With nothing shared, it can only
    # ever see its own run: every mutant survives.
    result = judge("""
        import json, os
        from target import add_one
        PLACES = ["/tmp/votes", "/work/votes", "/dev/shm/votes", "/work/home/votes"]
        def test_vote():
            mine = [add_one(x) for x in (-3, -1, 0, 1, 7)]
            earlier = []
            for place in PLACES:
                try:
                    earlier += json.load(open(place))
                except (OSError, ValueError):
                    pass
            for place in PLACES:
                try:
                    json.dump(earlier + [mine], open(place, "w"))
                except OSError:
                    pass
            if earlier:
                majority = max(earlier, key=earlier.count)
                assert mine == majority
    """)
    assert_all_survived(result)
