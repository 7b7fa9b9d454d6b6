"""Encrypt every stored webhook secret again with the newest key of WEBHOOK_SECRET_KEYS (key rotation)."""

from django.core.management.base import BaseCommand

from mentora.webhooks.services import subscription_secrets_reencrypt


class Command(BaseCommand):
    help = "Encrypt every webhook signing secret with the first key of MENTORA_WEBHOOK_SECRET_KEYS."

    def handle(self, *args, **options):
        count = subscription_secrets_reencrypt()
        self.stdout.write(f"{count} webhook secrets encrypted with the newest key.")
