from unittest import mock

import pytest

from helpers import Flaky
from target import retry


def test_delays_double_after_each_failure():
    waits = []
    assert retry(Flaky(failures=3), attempts=5, sleep=waits.append, base_delay=0.5) == "ok"
    assert waits == [0.5, 1.0, 2.0]


def test_no_wait_after_the_last_attempt_and_the_last_error_is_raised():
    waits = []
    operation = Flaky(failures=10)
    with pytest.raises(ConnectionError, match="attempt 2 failed"):
        retry(operation, attempts=2, sleep=waits.append)
    assert operation.calls == 2
    assert waits == [0.1]


def test_ctrl_c_is_not_retried():
    operation = mock.Mock(side_effect=[KeyboardInterrupt, "ok"])
    sleep = mock.Mock()
    with pytest.raises(KeyboardInterrupt):
        retry(operation, attempts=3, sleep=sleep)
    assert operation.call_count == 1
    sleep.assert_not_called()


def test_first_success_returns_without_waiting():
    sleep = mock.Mock()
    assert retry(lambda: 42, attempts=3, sleep=sleep) == 42
    sleep.assert_not_called()


@pytest.mark.parametrize("attempts", [0, -1])
def test_attempts_below_one_are_refused(attempts):
    with pytest.raises(ValueError):
        retry(Flaky(0), attempts=attempts, sleep=lambda _s: None)
