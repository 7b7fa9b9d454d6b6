from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker on the database queue (reminders, batch matching, imports, PDFs)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of the queue.")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")

    def handle(self, *args, queue_name: str, interval: float, batch: bool, **options):
        call_command("db_worker", queue_name=queue_name, interval=interval, batch=batch)
