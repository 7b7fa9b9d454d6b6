import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mentora.core.services import tasks_requeue_orphaned, worker_id_new
from mentora.core.sqlite.base import wait_for_locks
from mentora.core.worker import LeasedWorker


class Command(BaseCommand):
    help = ("Run the background task worker on the database queue (reminders, batch matching, imports, PDFs). "
            "Workers on several hosts share the queue: each holds its task under a lease renewed by a heartbeat, "
            "and the tasks of a worker that died are taken over once their lease expires "
            "(MENTORA_WORKER_LEASE_SECONDS); those of a dead worker of this host at once, when it starts.")

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="Queues to process, comma-separated; * for all.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of the queue.")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")
        parser.add_argument(
            "--requeue-running", action="store_true",
            help="Queue again EVERY task marked running, on any host, without waiting for its lease. Only when "
                 "every worker is stopped.")

    def handle(self, *args, queue_name: str, interval: float, batch: bool, requeue_running: bool, **options):
        if interval < 0:
            raise CommandError("--interval must be zero or more seconds", returncode=2)
        verbosity = options.get("verbosity", 1)
        logger = logging.getLogger("mentora.worker")
        logger.setLevel(logging.INFO if verbosity else logging.WARNING)
        if not logger.handlers:
            logger.addHandler(logging.StreamHandler(self.stdout))
            logger.propagate = False

        if connection.vendor == "sqlite":
            # A task waits out another process's long transaction rather than failing for a locked database.
            wait_for_locks(seconds=settings.MENTORA_WORKER_SQLITE_PATIENCE_SECONDS)
        requeued = tasks_requeue_orphaned(every_running=requeue_running)
        if requeued:
            self.stdout.write(f"Queued again {requeued} task(s) left running by a worker that died.")
        worker = LeasedWorker(
            queue_names=queue_name.split(","), interval=interval, batch=batch, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id=worker_id_new(), excluded_queue_names=[],
        )
        if settings.MENTORA_WORKER_LEASE_SECONDS < 3:
            raise CommandError("MENTORA_WORKER_LEASE_SECONDS must be at least 3", returncode=2)
        worker.configure_signals()
        worker.run()
