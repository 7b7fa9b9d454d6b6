"""mentora backup FILE: every table and uploaded file of this instance, in one encrypted file."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentora.dataio.backup import BackupError, backup
from mentora.dataio.backup_crypto import new_key


class Command(BaseCommand):
    help = ("Back up the whole instance (all tables, password hashes included, and uploaded files), encrypted "
            "with the key in MENTORA_BACKUP_KEY.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the file to write, e.g. mentora-2026-11-25.backup")
        parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
        parser.add_argument("--new-key", action="store_true",
                            help="print a new random key for MENTORA_BACKUP_KEY and stop")

    def handle(self, *args, **options):
        if options["new_key"]:
            self.stdout.write(new_key())
            return
        if not options["file"]:
            raise CommandError("say which file to write: mentora backup FILE", returncode=2)
        path = Path(options["file"])
        if path.exists() and not options["force"]:
            raise CommandError(f"{path} exists; choose another name or pass --force", returncode=2)
        if not path.parent.is_dir():
            raise CommandError(f"no such folder: {path.parent}", returncode=2)
        started = time.perf_counter()
        try:
            summary = backup(path)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"Backed up {summary.rows:,} rows in {summary.models} tables and {summary.media_files} files "
            f"({summary.media_bytes:,} bytes) to {path} ({path.stat().st_size:,} bytes, encrypted) "
            f"in {time.perf_counter() - started:.1f} s."
        )
