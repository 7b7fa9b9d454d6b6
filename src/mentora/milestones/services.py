"""Writes to a mentee's IMG milestones, and the idempotent reminder scan."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentora.notifications.services import notify

from . import permissions
from .catalog import BY_KEY
from .models import PlanMilestone


def _validate(template_key: str, due_on, window_closes_on) -> None:
    if template_key not in BY_KEY:
        raise ValidationError({"template_key": "Choose one of the listed milestones."})
    if not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": "Enter a date."})
    if window_closes_on is not None and window_closes_on < due_on:
        raise ValidationError({"window_closes_on": "The window cannot close before it opens."})


@transaction.atomic
def milestone_add(*, by, template_key: str, due_on: datetime.date,
                  window_closes_on: datetime.date | None = None, note: str = "") -> PlanMilestone:
    _validate(template_key, due_on, window_closes_on)
    return PlanMilestone.objects.create(user=by, template_key=template_key, due_on=due_on,
                                        window_closes_on=window_closes_on, note=note.strip())


@transaction.atomic
def milestone_update(*, milestone: PlanMilestone, due_on: datetime.date,
                     window_closes_on: datetime.date | None = None, note: str = "",
                     status: str | None = None, by) -> PlanMilestone:
    if not permissions.can_manage_milestone(by, milestone):
        raise PermissionDenied("Only the milestone's owner changes it.")
    _validate(milestone.template_key, due_on, window_closes_on)
    milestone.due_on = due_on
    milestone.window_closes_on = window_closes_on
    milestone.note = note.strip()
    if status is not None:
        if status not in PlanMilestone.Status.values:
            raise ValidationError({"status": "Unknown status."})
        milestone.status = status
        milestone.completed_on = timezone.localdate() if status == PlanMilestone.Status.DONE else None
    milestone.save()
    return milestone


@transaction.atomic
def milestone_remove(*, milestone: PlanMilestone, by) -> None:
    if not permissions.can_manage_milestone(by, milestone):
        raise PermissionDenied("Only the milestone's owner removes it.")
    milestone.delete()


def milestone_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind each mentee of planned milestones coming up, once per milestone, date and lead time.

    Idempotent: the notice key names the milestone, its due date and the lead time, so running
    the scan again (from cron, `mentora reminders`, or after a crash) sends nothing twice; moving
    the date makes the reminders for the new date due again. Returns how many notices were made.
    """
    today = today or timezone.localdate()
    horizon = max(max(t.remind_days_before) for t in BY_KEY.values())
    made = 0
    candidates = PlanMilestone.objects.filter(
        status=PlanMilestone.Status.PLANNED, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=horizon)
    ).select_related("user")
    for milestone in candidates.iterator(chunk_size=2000):
        template = milestone.template
        days_left = (milestone.due_on - today).days
        due_leads = [lead for lead in template.remind_days_before if days_left <= lead]
        if not due_leads:
            continue
        lead = min(due_leads)  # the closest lead time reached; earlier ones are not sent late
        when = _when(days_left)
        made += _remind(milestone, template, key=f"milestone-{milestone.pk}-{milestone.due_on.isoformat()}-{lead}d",
                        title=f"{template.title}: {template.date_label.lower()} {when} ({milestone.due_on:%d %b %Y})")
    return made + _window_closing_reminders_send(today=today)


def _remind(milestone, template, *, key: str, title: str) -> bool:
    """One factual notice with the official source; True if it is new (keys make it once only)."""
    created = notify(
        user=milestone.user, kind="milestone_due", key=key, title=title,
        body=f"{template.summary}\n\nOfficial source: {template.source_url}\n\nNot legal advice.",
        url="/milestones/",
    )
    return created is not None


def _when(days_left: int) -> str:
    return "today" if days_left == 0 else f"in {days_left} day{'s' if days_left != 1 else ''}"


def _window_closing_reminders_send(*, today: datetime.date) -> int:
    """Once a milestone's window is open (e.g. a state's Conrad 30 application period), one notice as
    its closing date comes within the shortest lead time. Keyed by the closing date: never twice."""
    horizon = max(min(t.remind_days_before) for t in BY_KEY.values())
    made = 0
    candidates = PlanMilestone.objects.filter(
        status=PlanMilestone.Status.PLANNED, due_on__lte=today, window_closes_on__gte=today,
        window_closes_on__lte=today + datetime.timedelta(days=horizon),
    ).select_related("user")
    for milestone in candidates.iterator(chunk_size=2000):
        template = milestone.template
        days_left = (milestone.window_closes_on - today).days
        if days_left > min(template.remind_days_before):
            continue
        made += _remind(milestone, template,
                        key=f"milestone-{milestone.pk}-closes-{milestone.window_closes_on.isoformat()}",
                        title=f"{template.title}: the window closes {_when(days_left)} "
                              f"({milestone.window_closes_on:%d %b %Y})")
    return made
