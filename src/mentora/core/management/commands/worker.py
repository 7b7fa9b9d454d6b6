from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Run the background task worker on the database queue (reminders, batch matching, imports, PDFs). "
            "On start it queues again the tasks left RUNNING by a worker of this host that died.")

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of the queue.")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")
        parser.add_argument(
            "--requeue-running", action="store_true",
            help="Queue again EVERY task marked running, on any host. Only when every worker is stopped "
                 "(e.g. after a host was lost); tasks of a dead worker of this host are requeued anyway.")

    def handle(self, *args, queue_name: str, interval: float, batch: bool, requeue_running: bool, **options):
        from mentora.core.services import tasks_requeue_orphaned, worker_id_new

        requeued = tasks_requeue_orphaned(every_running=requeue_running)
        if requeued:
            self.stdout.write(f"Queued again {requeued} task(s) left running by a worker that died.")
        # No autoreloader (db_worker's default under DEBUG): its parent process would outlive a kill of the
        # worker and the worker id would name the wrong process.
        call_command("db_worker", queue_name=queue_name, interval=interval, batch=batch, reload=False,
                     worker_id=worker_id_new(), verbosity=options.get("verbosity", 1))
