"""mentora restore FILE: load a backup into an empty database (and empty media folder)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentora.dataio.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by 'mentora backup' into an empty database; refuses any other, and a backup "
            "made with another key than MENTORA_BACKUP_KEY.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        started = time.perf_counter()
        try:
            summary = restore(path)
        except BackupError as error:
            raise CommandError(f"{path}: {error}; nothing was restored", returncode=2) from None
        if not summary.encrypted:
            self.stdout.write("This backup was not encrypted (made before backups were): delete the file once "
                              "you have an encrypted backup of the restored instance.")
        self.stdout.write(
            f"Restored {summary.rows:,} rows in {summary.models} tables and {summary.media_files} files "
            f"({summary.media_bytes:,} bytes) in {time.perf_counter() - started:.1f} s."
        )
