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
