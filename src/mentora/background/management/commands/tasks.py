"""`mentora tasks list|retry`: the Background work page from a terminal."""

from django.core.management.base import BaseCommand, CommandError

from mentora.background import selectors
from mentora.background.services import requeue_task


class Command(BaseCommand):
    help = "List background tasks (queued, running, failed) and retry failed ones."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="list|retry")
        listing = sub.add_parser("list", help="list tasks of one status (default: failed, running and queued)")
        listing.add_argument("--status", choices=["queued", "running", "failed", "done"], action="append")
        listing.add_argument("--limit", type=int, default=50)
        retry = sub.add_parser("retry", help="queue failed tasks again")
        retry.add_argument("ids", nargs="*", metavar="ID", help="task ids, as `mentora tasks list` shows them")
        retry.add_argument("--all-failed", action="store_true", help="every failed task")

    def handle(self, *args, action=None, **options):
        if action == "list":
            return self._list(options["status"] or ["failed", "running", "queued"], options["limit"])
        if action == "retry":
            return self._retry(options["ids"], options["all_failed"])
        raise CommandError("say what to do: mentora tasks list|retry", returncode=2)

    def _list(self, statuses: list[str], limit: int) -> None:
        if limit < 1:
            raise CommandError("--limit must be at least 1", returncode=2)
        counts = selectors.task_counts()
        self.stdout.write("  ".join(f"{name}: {counts[name]}" for name in ("queued", "running", "failed", "done")))
        for status in statuses:
            for row in selectors.task_rows(status=status, limit=limit):
                when = {"queued": row.run_after or row.enqueued_at, "running": row.started_at}.get(
                    status, row.finished_at)
                line = (f"{row.id}  {status:<7}  {when:%Y-%m-%d %H:%M:%S}  {row.attempts}/{row.max_attempts}  "
                        f"{row.label} ({row.arguments})")
                if row.error:
                    line += f"  -- {row.error}"
                if row.worker_gone:
                    line += "  -- its worker stopped"
                self.stdout.write(line)

    def _retry(self, ids: list[str], all_failed: bool) -> None:
        if bool(ids) == all_failed:
            raise CommandError("give task ids or --all-failed (not both)", returncode=2)
        if all_failed:
            ids = [row.id for row in selectors.task_rows(status="failed", limit=100_000)]
        for task_id in ids:
            row = selectors.task_find(task_id)
            if row is None:
                raise CommandError(f"no task with id {task_id!r}", returncode=2)
            if not row.retryable:
                raise CommandError(f"task {task_id} is {row.status}; only failed tasks (or tasks whose worker "
                                   "stopped) can be retried", returncode=2)
        queued = sum(requeue_task(task_id) for task_id in ids)
        self.stdout.write(f"Queued again: {queued} task(s).")
