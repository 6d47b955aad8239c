"""The Celery app and Redis client of distributed grading, and the one door to the extra.

Celery and redis-py are the optional ``classroom`` extra (a learner's install stays
small): only :func:`require_extra` and the functions below import them, inside the
call, so that without the extra ``qa-arena grade --broker`` and ``qa-arena worker``
say so in one line and everything else works.

The app is configured for at-least-once delivery with exactly one completion made
on top of it (docs/classroom.md, "Distributed grading"):

* ``acks_late`` + ``reject_on_worker_lost``: a task is acknowledged only after it
  ran; a worker killed mid-task leaves it unacknowledged in Redis, and another
  worker gets it again once the ``visibility_timeout`` has passed;
* ``prefetch_multiplier = 1``: a worker holds no more tasks than it runs, so a
  killed worker strands as few as possible and the others are not starved;
* JSON only, in and out (``accept_content``): a message from the broker is never
  unpickled, so whoever can write to Redis still cannot run code in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qa_arena_desktop.classroom.wire import QUEUE, TASK_NAME

if TYPE_CHECKING:
    import redis
    from celery import Celery

EXTRA_HINT = "pip install 'qa-arena-desktop[classroom]'"
DEFAULT_VISIBILITY_TIMEOUT_S = 60


class MissingExtra(RuntimeError):
    """Celery or the Redis client is not installed."""


def require_extra(option: str) -> None:
    """Raise :class:`MissingExtra` (one line naming ``option`` and the fix) without the extra."""
    try:
        import celery  # noqa: F401
        import redis  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(f"{option} needs the classroom extra (Celery and Redis), which is not "
                           f"installed ({exc.name or 'celery'} is missing): {EXTRA_HINT}") from None


def transport_options(visibility_timeout_s: float) -> dict[str, Any]:
    """Redis transport settings: a killed worker's tasks come back after the timeout.

    The unacknowledged-message sweep runs every few seconds (not every 100 s, kombu's
    default rhythm) and its lock expires quickly, so a worker killed while holding it
    delays the others' sweeps by seconds, not minutes.
    """
    interval = max(1, min(10, int(visibility_timeout_s // 5)))
    return {"visibility_timeout": visibility_timeout_s, "unacked_restore_interval": interval,
            "unacked_restore_throttle": 1, "unacked_mutex_expire": max(10, interval * 3)}


def make_app(broker_url: str, visibility_timeout_s: float = DEFAULT_VISIBILITY_TIMEOUT_S) -> Celery:
    """A Celery app for ``broker_url``; results travel through our own Redis keys, not Celery's."""
    from celery import Celery

    app = Celery("qa_arena", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_serializer="json", accept_content=["json"], result_accept_content=["json"],
        task_ignore_result=True, result_backend=None,
        task_acks_late=True, task_reject_on_worker_lost=True, task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1, task_default_queue=QUEUE,
        task_routes={TASK_NAME: {"queue": QUEUE}},
        broker_transport_options=transport_options(visibility_timeout_s),
        broker_connection_retry_on_startup=True, broker_connection_max_retries=None,
        worker_hijack_root_logger=False, worker_redirect_stdouts=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        enable_utc=True,
    )
    return app


def redis_client(broker_url: str) -> redis.Redis:
    """A redis-py client for the same server and database as the broker."""
    import redis

    return redis.Redis.from_url(broker_url, socket_connect_timeout=10, socket_timeout=30,
                                health_check_interval=30)


def connection_errors() -> tuple[type[BaseException], ...]:
    """What a lost or refused Redis connection raises (for the callers' except clauses)."""
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
