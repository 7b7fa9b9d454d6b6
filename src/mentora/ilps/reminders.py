"""ILP reviews due: the mentee and their mentors hear once per due date, two weeks before it and
again whenever a scan finds it overdue (the same key, so never twice). Plugged into
`mentora reminders` (mentora.meetings.reminders finds this module's `scan`)."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from mentora.notifications.email_templates import program_email, templates_for
from mentora.notifications.services import notify
from mentora.programs.models import Program
from mentora.relationships.models import Relationship

from .models import LearningPlan
from .selectors import review_due_on

NOTICE_BEFORE = datetime.timedelta(days=14)


def scan(now: datetime.datetime) -> int:
    today = timezone.localdate(now)
    due_plans = []
    rows = (LearningPlan.objects.exclude(status=LearningPlan.Status.DRAFT)
            .values_list("pk", "mentee_id", "last_reviewed_on", "submitted_at", "program__review_frequency",
                         "program_id")
            .order_by("pk"))
    for plan_id, mentee_id, reviewed, submitted, frequency, program_id in rows.iterator(chunk_size=2000):
        due = review_due_on(last_reviewed_on=reviewed, submitted_at=submitted, frequency=frequency)
        if due is not None and due <= today + NOTICE_BEFORE:
            due_plans.append((plan_id, mentee_id, due, program_id))
    if not due_plans:
        return 0
    mentee_ids = {mentee_id for _, mentee_id, _, _ in due_plans}
    # (mentee, program of the relationship) -> mentors: a plan's mentors are those of its program (or of none).
    mentors: dict[tuple[int, int | None], set[int]] = defaultdict(set)
    for mentee_id, mentor_id, program_id in Relationship.objects.filter(
        mentee_id__in=mentee_ids, status__in=Relationship.OPEN_STATUSES
    ).values_list("mentee_id", "mentor_id", "program_id"):
        mentors[(mentee_id, program_id)].add(mentor_id)
    people = get_user_model().objects.in_bulk(mentee_ids | {m for ids in mentors.values() for m in ids})
    templates = templates_for(program_ids={program_id for *_, program_id in due_plans}, kind="reminder")
    program_names = dict(Program.objects.filter(pk__in={p for *_, p in due_plans}).values_list("pk", "name"))
    sent = 0
    for plan_id, mentee_id, due, program_id in due_plans:
        mentee = people[mentee_id]
        when = "was due" if due < today else "is due"
        if program_id is None:
            plan_mentors = {m for (who, _), ids in mentors.items() if who == mentee_id for m in ids}
        else:
            plan_mentors = mentors[(mentee_id, program_id)] | mentors[(mentee_id, None)]
        for person_id in [mentee_id, *sorted(plan_mentors)]:
            whose = "Your learning plan's review" if person_id == mentee_id else f"{mentee.display_name}'s ILP review"
            title, body = program_email(program_id=program_id, kind="reminder", templates=templates, values={
                "person_name": people[person_id].display_name, "program_name": program_names.get(program_id, ""),
                "whose": whose, "when": when, "due_date": f"{due:%-d %B %Y}"})
            created = notify(
                user=people[person_id], kind="ilp_review_due", key=f"ilp-review-due:{plan_id}:{due.isoformat()}",
                title=title, body=body, url=reverse("ilps:ilp_detail", args=[plan_id]),
            )
            sent += created is not None
    return sent
