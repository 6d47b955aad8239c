"""The limits self-test: a real probe on this engine, and the refusal logic on made-up findings."""

import pytest

from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.domain.judge_models import Limits
from qa_arena_desktop.judging import limits_check
from qa_arena_desktop.judging.limits_check import evaluate

HOLDING = {"processes_started": 62, "memory_mb_reached": 240, "network": "OSError",
           "interfaces": ["lo"]}


def test_findings_within_the_limits_are_ok():
    assert evaluate(HOLDING, Limits()).ok


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"memory_mb_reached": 768}, "memory limit is not enforced"),
        ({"processes_started": 400}, "process limit is not enforced"),
        ({"network": "connected"}, "reach the network"),
        ({"interfaces": ["eth0", "lo"]}, "reach the network"),
    ],
)
def test_a_limit_that_does_not_hold_is_named(change, problem):
    report = evaluate({**HOLDING, **change}, Limits())
    assert not report.ok
    assert any(problem in p for p in report.problems())


def test_judging_is_refused_unless_the_user_accepts_the_risk(monkeypatch):
    broken = evaluate({**HOLDING, "memory_mb_reached": 768}, Limits())
    monkeypatch.setattr(limits_check, "check_limits", lambda client, limits=None: broken)
    with pytest.raises(JudgeUnavailable, match="does not enforce the sandbox's limits"):
        limits_check.require_enforced_limits(object())
    monkeypatch.setenv(limits_check.OVERRIDE_ENV, "1")
    limits_check.require_enforced_limits(object())


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_this_engine_enforces_memory_pids_and_network_and_the_result_is_cached(monkeypatch):
    import docker

    client = docker.from_env()
    try:
        report = limits_check.check_limits(client)
        assert report.ok, report.details
        assert limits_check._cache_path().is_file()
        calls = []
        original = limits_check.run_probe
        monkeypatch.setattr(limits_check, "run_probe",
                            lambda *a, **k: calls.append(1) or original(*a, **k))
        assert limits_check.check_limits(client) == report
        assert calls == []
    finally:
        client.close()
