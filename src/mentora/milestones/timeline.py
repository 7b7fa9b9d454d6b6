"""IMG milestones on the mentee's timeline (a source for mentora.ilps.timeline, found by its plug-in
mechanism). Each planned or done milestone is one event on its date, plus one when its window closes;
the link goes to the official source. Shown only to the milestone's owner: visa steps are private."""

from collections.abc import Iterator

from mentora.ilps.timeline import TimelineEvent

from . import permissions
from .models import PlanMilestone
from .selectors import milestones_of


def timeline_events(*, mentee, viewer) -> Iterator[TimelineEvent]:
    if not permissions.can_see_milestones_of(viewer, mentee):
        return
    for milestone in milestones_of(user=mentee).exclude(status=PlanMilestone.Status.DROPPED):
        template = milestone.template
        done = milestone.status == PlanMilestone.Status.DONE
        source = f"official source: {template.source_name}"
        yield TimelineEvent(
            on=milestone.due_on, kind="milestone", title=template.title, url=template.source_url, done=done,
            detail=f"{'Done · ' if done else ''}{template.date_label} · {source}",
        )
        if milestone.window_closes_on:
            yield TimelineEvent(
                on=milestone.window_closes_on, kind="milestone", title=f"{template.title}: window closes",
                url=template.source_url, done=done, detail=f"{'Done · ' if done else ''}{source}",
            )
