"""The worker loop of `mentora worker`: django_tasks_db's worker, with leases and takeover.

The library's loop claims a task and runs it; this one also writes the task's lease in the same
transaction as the claim, renews it from a heartbeat thread while the task runs, and before each
poll takes over the tasks of workers (on any host) whose lease expired. A worker that finds it
lost a lease (it was paused longer than the lease, and another worker took the task over) does
not record a result over the new holder's.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import warmup
from .services import (
    running_under_lease,
    task_lease_claim,
    task_lease_held,
    task_lease_renew,
    task_requeue_interrupted,
    tasks_take_over_expired,
)

logger = logging.getLogger("mentora.worker")
# How often an idle or busy worker checks that the caches it fills ahead were not emptied (mentora.core.warmup).
CACHE_LOOK_SECONDS = 60


class Heartbeat(threading.Thread):
    """Renews one task's lease every third of its length until stopped (its own database connection)."""

    def __init__(self, *, task_id, worker_id: str):
        super().__init__(name=f"heartbeat-{task_id}", daemon=True)
        self.task_id, self.worker_id = task_id, worker_id
        self.stopped = threading.Event()
        self.lost = False

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.MENTORA_WORKER_LEASE_SECONDS / 3):
                try:
                    if not task_lease_renew(task_id=self.task_id, worker_id=self.worker_id):
                        self.lost = True
                        logger.error("task %s: lost its lease (another worker took it over)", self.task_id)
                        return
                    # A busy worker looks after the others too: a dead worker's task goes back in the
                    # queue within a lease and a beat even when every live worker is running a long task.
                    tasks_take_over_expired(by=self.worker_id)
                except OperationalError:  # a busy database: the next beat tries again, well within the lease
                    logger.warning("task %s: could not renew the lease this time", self.task_id, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class LeasedWorker(Worker):
    next_cache_look = 0.0  # monotonic time of the next look at the caches: at once when the worker starts

    def claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """Claim the next ready task under a lease; (task or None, whether the queue could be read)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                    task_lease_claim(task=task_result, worker_id=self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None, False
            raise
        return task_result, True

    def take_over_expired(self) -> None:
        try:
            tasks_take_over_expired(by=self.worker_id)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise

    def look_after_caches(self) -> None:
        """When the caches were emptied with no change to the data (the cache server restarted), queue the
        warm-ups now rather than leaving the first people to look to compute them."""
        now = time.monotonic()
        if now < self.next_cache_look:
            return
        self.next_cache_look = now + CACHE_LOOK_SECONDS
        try:
            if warmup.refill_if_emptied():
                logger.info("The caches were emptied: the warm-ups are queued")
        except Exception:  # noqa: BLE001 - a cache that cannot be reached costs slow first requests, not the worker
            logger.warning("could not look at the caches", exc_info=True)

    def run(self) -> None:
        logger.info("Starting worker %s on queues %s (lease %g s)", self.worker_id, ",".join(self.queue_names),
                    settings.MENTORA_WORKER_LEASE_SECONDS)
        while self.running:
            close_old_connections()
            self.look_after_caches()
            self.take_over_expired()
            task_result, read = self.claim_next()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and read and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and not task_result:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task under its heartbeat; record the result only while still holding the lease."""
        heartbeat = Heartbeat(task_id=db_task_result.pk, worker_id=self.worker_id)
        heartbeat.start()
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            with running_under_lease(self.worker_id):  # what the task claims follows this lease
                if task.takes_context:
                    return_value = task.call(TaskContext(task_result=task_result), *task_result.args,
                                             **task_result.kwargs)
                else:
                    return_value = task.call(*task_result.args, **task_result.kwargs)
            heartbeat.stop()
            if self.still_holds(db_task_result):
                db_task_result.set_successful(return_value)
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            # Stopped on purpose mid-task (a second Ctrl+C or SIGTERM): not the task's failure. It goes
            # back in the queue at once and runs again from the start.
            heartbeat.stop()
            task_requeue_interrupted(task_id=db_task_result.pk, worker_id=self.worker_id)
            logger.warning("task %s interrupted by the stop; queued again", db_task_result.pk)
            raise
        except BaseException as error:  # noqa: BLE001 - recorded as the task's failure, like the library does
            heartbeat.stop()
            if not self.still_holds(db_task_result):
                return
            db_task_result.set_failed(error)
            try:
                sender = type(db_task_result.task.get_backend())
                task_result = db_task_result.task_result
            except (ImportError, SuspiciousOperation):
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            else:
                task_finished.send(sender=sender, task_result=task_result)
        finally:
            heartbeat.stop()
            self.running_task = False
            self._run_tasks += 1

    def still_holds(self, db_task_result: DBTaskResult) -> bool:
        if task_lease_held(task_id=db_task_result.pk, worker_id=self.worker_id):
            return True
        logger.error("task %s: another worker took it over while this one ran it; its result is not recorded",
                     db_task_result.pk)
        return False
