"""The reminder scan behind `mentora reminders` and the `send_reminders` task.

Exactly once: every reminder is a notify() call under a key that names what it is about (the
meeting and its start time, the relationship and the last meeting day, the action item and its due
date). notify() records the notice under a unique (user, key) constraint before any email goes
out, so two scans running at once, or a scan that runs again, or one killed halfway, never send a
reminder twice; the next scan creates whatever was not yet recorded and emails whatever was
recorded but not yet emailed (notifications_send_pending).

Other apps add their reminders by providing ``<app>/reminders.py`` with
``def scan(now: datetime) -> int`` (notices created); the find-a-mentor requests app uses that hook
for requests about to expire, the ILP app for reviews due.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from mentora.core.discovery import app_modules
from mentora.notifications.services import notifications_send_pending, notify
from mentora.relationships.models import Relationship

from .health import cadence_of, slipping_after
from .models import ActionItem, Agreement, Meeting

logger = logging.getLogger(__name__)
UPCOMING_WINDOW = datetime.timedelta(hours=24)
BATCH = 500


@dataclass
class ScanResult:
    created: dict[str, int] = field(default_factory=dict)
    emailed: int = 0

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _notify(kind: str, **kwargs) -> int:
    return 1 if notify(kind=kind, **kwargs) is not None else 0


def scan_upcoming_meetings(now: datetime.datetime) -> int:
    """Both sides hear about a scheduled meeting once, in the 24 hours before it starts."""
    sent = 0
    meetings = (Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now,
                                       starts_at__lte=now + UPCOMING_WINDOW,
                                       relationship__status__in=Relationship.OPEN_STATUSES)
                .select_related("relationship__mentee", "relationship__mentor").order_by("starts_at"))
    for meeting in meetings.iterator(chunk_size=BATCH):
        relationship = meeting.relationship
        local = meeting.local_start
        for person, other in ((relationship.mentee, relationship.mentor), (relationship.mentor, relationship.mentee)):
            sent += _notify(
                "meeting_upcoming", user=person,
                key=f"meeting_upcoming:{meeting.pk}:{meeting.starts_at:%Y%m%dT%H%M}",
                title=f"Meeting with {other.display_name} on {local:%a %d %b, %H:%M} ({meeting.time_zone})",
                body="Look at the agenda and your homework before you meet.",
                url=reverse("meetings:meeting_detail", args=[meeting.pk]),
            )
    return sent


def scan_cadence_slipping(now: datetime.datetime) -> int:
    """Active relationships with no held meeting for 1.5 cadences ("45 days on a monthly cadence").

    The key holds the day counting started from, so a new held meeting (or a recommitment) arms the
    reminder again, and each slip is reported once.
    """
    today = timezone.localdate(now)
    sent = 0
    rows = (Relationship.objects.filter(status=Relationship.Status.ACTIVE)
            .annotate(last_held=Max("meetings__starts_at", filter=Q(meetings__status=Meeting.Status.HELD)))
            .select_related("mentee", "mentor", "program"))
    for relationship in rows.iterator(chunk_size=BATCH):
        agreement = _agreement(relationship.pk)
        cadence = cadence_of(agreed=agreement[0] if agreement else None,
                             program=relationship.program.meeting_cadence_days if relationship.program else None)
        recommitted = agreement[1] if agreement else None
        candidates = [d for d in (
            timezone.localdate(relationship.last_held) if relationship.last_held else None,
            relationship.started_on,
            timezone.localdate(recommitted) if recommitted else None,
        ) if d is not None]
        since = max(candidates) if candidates else timezone.localdate(relationship.created_at)
        days = (today - since).days
        if days <= slipping_after(cadence):
            continue
        for person, other in ((relationship.mentee, relationship.mentor), (relationship.mentor, relationship.mentee)):
            sent += _notify(
                "cadence_slipping", user=person, key=f"cadence_slipping:{relationship.pk}:{since.isoformat()}",
                title=f"No meeting with {other.display_name} in {days} days",
                body=f"You agreed to meet about every {cadence} days. Propose a few times, or recommit.",
                url=reverse("meetings:relationship_detail", args=[relationship.pk]),
            )
    return sent


_agreement_cache: dict[int, tuple[int, datetime.datetime | None]] = {}


def _agreement(relationship_id: int):
    return _agreement_cache.get(relationship_id)


def _load_agreements() -> None:
    _agreement_cache.clear()
    for rid, cadence, recommitted in Agreement.objects.values_list("relationship_id", "cadence_days",
                                                                    "recommitted_at").iterator(chunk_size=5000):
        _agreement_cache[rid] = (cadence, recommitted)


def scan_overdue_action_items(now: datetime.datetime) -> int:
    today = timezone.localdate(now)
    sent = 0
    items = (ActionItem.objects.filter(done_at__isnull=True, due_on__lt=today,
                                       relationship__status__in=Relationship.OPEN_STATUSES)
             .select_related("owner", "created_by").order_by("due_on", "pk"))
    for item in items.iterator(chunk_size=BATCH):
        sent += _notify(
            "action_item_overdue", user=item.owner, key=f"action_item_overdue:{item.pk}:{item.due_on.isoformat()}",
            title=f"Overdue since {item.due_on:%d %b}: {item.text[:120]}",
            body="Mark it done, or agree a new date with the other side.", about=item.created_by,
            url=reverse("meetings:relationship_detail", args=[item.relationship_id]),
        )
    return sent


BUILT_IN = {
    "meeting_upcoming": scan_upcoming_meetings,
    "cadence_slipping": scan_cadence_slipping,
    "action_item_overdue": scan_overdue_action_items,
}


def plugin_scans() -> dict[str, object]:
    """`scan(now)` of every other Mentora app that has a reminders module (requests, ILPs...)."""
    return {
        config.label: module.scan for config, module in app_modules("reminders")
        if config.name != __package__ and callable(getattr(module, "scan", None))
    }


def run_reminders(now: datetime.datetime | None = None, *, only: set[str] | None = None) -> ScanResult:
    """The idempotent scan: safe to run from cron, from the worker, twice, or at the same time."""
    now = now or timezone.now()
    _load_agreements()
    result = ScanResult()
    scans = {**BUILT_IN, **plugin_scans()}
    for name, scan in scans.items():
        if only and name not in only:
            continue
        result.created[name] = scan(now)
    result.emailed = notifications_send_pending()
    return result
