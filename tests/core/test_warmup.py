"""Warm-ups are queued once per burst of writes, to run a while after the commit (mentora.core.warmup)."""

import datetime

import pytest
from django.utils import timezone

from mentora.core import warmup

pytestmark = pytest.mark.django_db


class _Backend:
    supports_defer = True


class _Task:
    """Records how it was queued, as a deferring queue (the database backend) would take it."""

    def __init__(self):
        self.queued = []
        self.run_after = None

    def get_backend(self):
        return _Backend()

    def using(self, *, run_after):
        self.run_after = run_after
        return self

    def enqueue(self):
        self.queued.append(self.run_after)


def test_a_burst_of_writes_queues_one_run_after_the_delay(settings, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    settings.MENTORA_WARM_AHEAD = True
    cache.delete("warmup:queued:test")
    warmup._queued_here.pop("test", None)
    task = _Task()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            warmup.schedule(task, name="test", delay_seconds=30)
    assert len(task.queued) == 1
    assert task.queued[0] - timezone.now() > datetime.timedelta(seconds=25)
    warmup.started("test")  # the run starts: a write from now on queues one more
    warmup._queued_here.pop("test")  # (another process)
    with django_capture_on_commit_callbacks(execute=True):
        warmup.schedule(task, name="test", delay_seconds=30)
    assert len(task.queued) == 2


def test_nothing_is_queued_when_warm_ups_are_off(settings, django_capture_on_commit_callbacks):
    settings.MENTORA_WARM_AHEAD = False
    task = _Task()
    with django_capture_on_commit_callbacks(execute=True):
        warmup.schedule(task, name="test-off")
    assert task.queued == []


def _worker():
    from mentora.core.worker import LeasedWorker

    return LeasedWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                        startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[])


def test_the_apps_warm_ups_are_registered():
    from mentora.directory import tasks as directory_tasks
    from mentora.home import tasks as home_tasks
    from mentora.insights import tasks as insights_tasks

    assert warmup.registered() == {
        directory_tasks.WARMUP: directory_tasks.mentor_side_warm_task,
        insights_tasks.WARMUP: insights_tasks.dashboards_warm_task,
        home_tasks.WARMUP: home_tasks.coordinator_homes_warm_task,
    }


def test_the_worker_queues_every_warm_up_when_the_caches_were_emptied(
        settings, monkeypatch, django_capture_on_commit_callbacks):
    """A cache emptied with no change to the data (the cache server restarted) would stay cold until the
    next change: the worker looks when it starts and every minute after, and queues every warm-up to run
    at once when the mark its warm-ups leave is gone."""
    from django.core.cache import cache

    settings.MENTORA_WARM_AHEAD = True
    tasks = {"test-a": _Task(), "test-b": _Task()}
    monkeypatch.setattr(warmup, "_registered", dict(tasks))
    for name in tasks:
        warmup._queued_here.pop(name, None)
    cache.clear()
    worker = _worker()
    with django_capture_on_commit_callbacks(execute=True):
        worker.look_after_caches()  # the worker starts: nothing has filled the caches
    assert [len(task.queued) for task in tasks.values()] == [1, 1]
    assert all(abs(task.queued[0] - timezone.now()) < datetime.timedelta(seconds=5) for task in tasks.values())

    for name in tasks:  # the warm-ups run
        warmup.started(name)
        warmup._queued_here.pop(name)
    worker.next_cache_look = 0  # a minute later
    with django_capture_on_commit_callbacks(execute=True):
        worker.look_after_caches()
    assert [len(task.queued) for task in tasks.values()] == [1, 1], "queued again though the caches are full"

    cache.clear()  # the cache server restarts
    with django_capture_on_commit_callbacks(execute=True):
        worker.look_after_caches()  # less than a minute later: not looked at yet
    assert [len(task.queued) for task in tasks.values()] == [1, 1]
    worker.next_cache_look = 0
    with django_capture_on_commit_callbacks(execute=True):
        worker.look_after_caches()
    assert [len(task.queued) for task in tasks.values()] == [2, 2]


def test_the_worker_command_looks_at_the_caches_when_it_starts(settings, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django.core.management import call_command

    from mentora.core import worker

    settings.MENTORA_WARM_AHEAD = True
    # The worker closes its connection between tasks; here it is the test's, inside the test's transaction.
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    task = _Task()
    monkeypatch.setattr(warmup, "_registered", {"test-start": task})
    warmup._queued_here.pop("test-start", None)
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", "--batch", "--interval", "0", verbosity=0)
    assert len(task.queued) == 1
