"""Docker status in the status bar, the doctor dialog, and the image build dialog."""

from __future__ import annotations

import pytest

from qa_arena_desktop.judging.engine import EngineInfo
from qa_arena_desktop.judging.image import ImageStatus
from qa_arena_desktop.practice.doctor import DockerHealth
from qa_arena_desktop.ui.docker_status import DockerStatusChecker
from qa_arena_desktop.ui.doctor_dialog import DoctorDialog, ImageBuildDialog, health_html
from qa_arena_desktop.ui.tasks import TaskRunner
from tests.ui.conftest import HEALTHY

NO_ENGINE = DockerHealth(engine=EngineInfo(reachable=False, error="no Docker engine is reachable",
                                           advice="Start it"))
NO_IMAGE = DockerHealth(engine=HEALTHY.engine, image=ImageStatus(present=False, current=False))


def test_status_bar_shows_the_engine_and_image(make_window, qtbot):
    window = make_window()
    assert window.docker_widget.text.text() == "Docker test · judge image ready"


def test_a_missing_engine_opens_the_doctor_on_first_run(make_window, qtbot):
    window = make_window(auto_doctor=True, health_check=lambda: NO_ENGINE)
    qtbot.waitUntil(lambda: window.doctor is not None and window.doctor.isVisible())
    assert window.docker_widget.text.text() == "Docker: not reachable"
    qtbot.waitUntil(lambda: "How to fix it" in window.doctor.report.text())
    assert not window.doctor.build_button.isVisibleTo(window.doctor)


def test_health_report_gives_the_fix_for_each_gap():
    assert "Install Docker" in health_html(NO_ENGINE) or "Docker Desktop" in health_html(NO_ENGINE)
    assert "Build judge image" in health_html(NO_IMAGE)
    assert "Everything the judge needs is in place" in health_html(HEALTHY)


def test_doctor_offers_the_build_when_only_the_image_is_missing(qtbot):
    tasks = TaskRunner()
    checker = DockerStatusChecker(tasks, check=lambda: NO_IMAGE)
    with qtbot.waitSignal(checker.checked):
        checker.check()
    dialog = DoctorDialog(checker)
    qtbot.addWidget(dialog)
    assert dialog.build_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.build_requested):
        dialog.build_button.click()
    assert tasks.wait(5000)


def test_image_build_streams_its_log_and_reports_success(qtbot):
    tasks = TaskRunner()

    def fake_build(report):  # type: ignore[no-untyped-def]
        for step in ("Step 1/3 : FROM base", "Step 2/3 : COPY runner.py", "built"):
            report(step)
        return "sha256:abc"

    dialog = ImageBuildDialog(tasks, build=fake_build)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_build, timeout=5000) as blocker:
        dialog.start()
        assert not dialog.close_button.isEnabled()
    assert blocker.args == [True]
    qtbot.waitUntil(lambda: "Step 2/3" in dialog.log.toPlainText())
    assert dialog.close_button.isEnabled()
    assert "ready" in dialog.status.text()
    assert tasks.wait(5000)


def test_image_build_failure_is_shown_not_raised(qtbot):
    tasks = TaskRunner()

    def failing_build(report):  # type: ignore[no-untyped-def]
        report("pulling python:3.11-slim-bookworm ...")
        raise RuntimeError("cannot pull python:3.11-slim-bookworm")

    dialog = ImageBuildDialog(tasks, build=failing_build)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_build, timeout=5000) as blocker:
        dialog.start()
    assert blocker.args == [False]
    assert "The build failed" in dialog.status.text()
    assert tasks.wait(5000)


def test_the_gui_doctor_names_an_unreachable_docker_host(qtbot, monkeypatch):
    """A real check against 127.0.0.1 on a port nobody listens on."""
    from qa_arena_desktop.practice.doctor import check_docker_health
    from tests.practice.test_doctor_engine_setting import assert_in_words, closed_port

    url = f"tcp://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("DOCKER_HOST", url)
    tasks = TaskRunner()
    checker = DockerStatusChecker(tasks, check=check_docker_health)
    dialog = DoctorDialog(checker)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(checker.checked, timeout=30_000):
        dialog.check_again()
    text = dialog.report.text()
    assert f"reachable at {url}, set by DOCKER_HOST (connection refused" in text
    assert "DOCKER_HOST is the cause" in text and "unset DOCKER_HOST" in text
    assert "Install Docker" not in text  # the setting is the fix, not an install
    assert_in_words(text)
    assert tasks.wait(5000)


def test_the_gui_doctor_shows_the_sandbox_limits_line_as_the_cli_does(qtbot):
    from qa_arena_desktop.judging.limits_check import ENFORCED_TEXT, LimitsReport

    enforced = DockerHealth(engine=HEALTHY.engine, image=HEALTHY.image,
                            limits=LimitsReport(True, True, True, "{}"))
    assert ENFORCED_TEXT in health_html(enforced)
    leaky = DockerHealth(engine=HEALTHY.engine, image=HEALTHY.image,
                         limits=LimitsReport(False, True, True, "{}"))
    assert "memory limit is not enforced" in health_html(leaky)
    assert "QA_ARENA_ALLOW_UNENFORCED_LIMITS=1" in health_html(leaky)
    assert not leaky.ready and leaky.summary().endswith("sandbox limits not enforced")


@pytest.mark.docker
def test_the_gui_doctor_checks_the_real_engines_limits(qtbot):
    from qa_arena_desktop.judging.limits_check import ENFORCED_TEXT
    from qa_arena_desktop.practice.doctor import check_docker_health

    tasks = TaskRunner()
    checker = DockerStatusChecker(tasks, check=check_docker_health)
    dialog = DoctorDialog(checker)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(checker.checked, timeout=180_000):
        dialog.check_again()
    assert checker.last is not None and checker.last.limits is not None
    assert f"✓</span>&nbsp; {ENFORCED_TEXT}" in dialog.report.text()
    assert tasks.wait(5000)
