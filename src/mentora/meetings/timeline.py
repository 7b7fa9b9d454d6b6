"""Meetings on the mentee's timeline (a source for mentora.ilps.timeline, found by its plug-in
mechanism): dates and statuses only, for those the meetings app lets see them."""

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentora.ilps.timeline import TimelineEvent
from mentora.programs.selectors import user_roles

from .models import Meeting


def timeline_events(*, mentee, viewer) -> Iterator[TimelineEvent]:
    """Meetings of the mentee's relationships that the viewer may see (the two sides, coordinators of
    the relationship's program, site admins)."""
    meetings = Meeting.objects.filter(relationship__mentee=mentee).exclude(
        status__in=[Meeting.Status.CANCELLED, Meeting.Status.RESCHEDULED]
    ).select_related("relationship__mentor")
    if not (viewer.is_superuser or viewer.pk == mentee.pk):
        meetings = meetings.filter(
            Q(relationship__mentor=viewer) | Q(relationship__program_id__in=user_roles(user=viewer).coordinated_program_ids)
        )
    for meeting in meetings:
        yield TimelineEvent(
            on=timezone.localdate(meeting.starts_at), kind="meeting",
            title=f"Meeting with {meeting.relationship.mentor.display_name}",
            detail=meeting.get_status_display(), url=reverse("meetings:meeting_detail", args=[meeting.pk]),
            done=meeting.status == Meeting.Status.HELD,
        )
