"""The privacy part of `mentora reminders`: housekeeping that keeps no copy of personal data longer
than it is needed. Idempotent: running it twice, or from cron and the worker at once, is harmless."""

import datetime
import logging

from .services import cache_purge_expired

logger = logging.getLogger(__name__)


def scan(now: datetime.datetime) -> int:
    """Purge expired cache rows (by the real clock, whatever time the scan is run for); no reminder
    is created, so the count of reminders it adds is 0."""
    purged = cache_purge_expired()
    if purged:
        logger.info("purged %d expired cache rows", purged)
    return 0
