from django.core.management.base import BaseCommand

from mentora.directory.services import requests_expire


class Command(BaseCommand):
    help = "Expire mentorship requests past their date and tell the mentees (idempotent; safe from cron)."

    def handle(self, *args, **options):
        count = requests_expire()
        self.stdout.write(f"{count} request(s) expired")
