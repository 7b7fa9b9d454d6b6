"""Reads for the lifecycle pages, the dashboard pieces, the API and the reminder scan."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.ilps.models import Goal, GoalChangeRequest, LearningPlan
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship

from . import health as health_mod
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    Meeting,
    Message,
    PrivateNote,
    RematchRequest,
    Resource,
    SharedNote,
    SurveyForm,
    SurveyResponse,
    TimeProposal,
)
from .vocabulary import DEFAULT_CADENCE_DAYS, MCA_COMPETENCIES, MIN_AGGREGATE

DEFAULT_CADENCE = DEFAULT_CADENCE_DAYS


def relationship_for(*, relationship_id: int) -> Relationship:
    return Relationship.objects.select_related("mentee", "mentor", "program").get(pk=relationship_id)


def agreement_of(*, relationship) -> Agreement | None:
    return Agreement.objects.filter(relationship=relationship).first()


def meetings_of(*, relationship) -> QuerySet[Meeting]:
    return Meeting.objects.filter(relationship=relationship).order_by("starts_at")


def meeting_for(*, meeting_id: int) -> Meeting:
    return Meeting.objects.select_related("relationship", "relationship__mentee", "relationship__mentor").get(
        pk=meeting_id
    )


def private_notes_of(*, author, meeting) -> QuerySet[PrivateNote]:
    """The ONLY read of private notes: a person's own notes on one meeting."""
    return PrivateNote.objects.filter(author=author, meeting=meeting)


def open_proposal_of(*, relationship) -> TimeProposal | None:
    return TimeProposal.objects.filter(relationship=relationship, status=TimeProposal.Status.OPEN).prefetch_related(
        "times").select_related("proposed_by").first()


def messages_of(*, relationship, limit: int = 50) -> list[Message]:
    rows = list(Message.objects.filter(relationship=relationship).select_related("author").order_by("-created_at",
                                                                                                     "-id")[:limit])
    return rows[::-1]


def action_items_of(*, relationship, open_only: bool = False) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.filter(relationship=relationship).select_related("owner")
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    return qs


# The shared items whose corrections both sides see: (model, what it is called, fields shown with their names).
_CORRECTABLE = (
    (AgendaItem, "agenda item", {"text": "text"}),
    (SharedNote, "shared note", {"body": "text"}),
    (ActionItem, "action item", {"text": "text", "due_on": "due date"}),
)


def item_changes_of(*, meeting=None, relationship=None) -> list[dict]:
    """Edits and deletions of a meeting's shared items (or of a relationship's action items outside any
    meeting), newest first: [{when, who, kind: "changed"|"deleted", noun, text, changes: [(name, old, new)]}].
    One query per kind of item, however many items and changes there are."""
    entries = []
    for model, noun, shown in _CORRECTABLE:
        if meeting is not None:
            where = {"meeting_id": meeting.pk}
        elif model is ActionItem:
            where = {"relationship_id": relationship.pk, "meeting_id": None}
        else:
            continue
        text_field = next(iter(shown))
        previous = {}
        for record in model.history.filter(**where).select_related("history_user").order_by("history_date",
                                                                                             "history_id"):
            before = previous.get(record.id)
            previous[record.id] = record
            if record.history_type == "-":
                entries.append({"when": record.history_date, "who": record.history_user, "kind": "deleted",
                                "noun": noun, "text": getattr(record, text_field), "changes": []})
            elif record.history_type == "~" and before is not None:
                changes = [(name, getattr(before, field), getattr(record, field)) for field, name in shown.items()
                           if getattr(before, field) != getattr(record, field)]
                if changes:
                    entries.append({"when": record.history_date, "who": record.history_user, "kind": "changed",
                                    "noun": noun, "text": getattr(record, text_field), "changes": changes})
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries


def _cadence_inputs(relationships: Q, selected: QuerySet[Relationship]) -> tuple[dict, dict]:
    """For the relationships `selected` (and `relationships`, the same as a filter on Meeting): the last
    held meeting of each, and the cadence each is judged by (its agreement's, else its program's) with
    its recommitment. Two queries."""
    last_held = dict(
        Meeting.objects.filter(relationships, status=Meeting.Status.HELD)
        .values_list("relationship_id").annotate(last=Max("starts_at")).values_list("relationship_id", "last")
    )
    agreements = {
        rid: (health_mod.cadence_of(agreed=agreed, program=program), recommitted)
        for rid, agreed, program, recommitted in selected.order_by().values_list(
            "pk", "agreement__cadence_days", "program__meeting_cadence_days", "agreement__recommitted_at")
    }
    return last_held, agreements


def _health(rid, started_on, created_at, inputs: tuple[dict, dict], today: datetime.date,
            zone_now) -> health_mod.Health:
    last_held, agreements = inputs
    cadence, recommitted = agreements.get(rid, (DEFAULT_CADENCE, None))
    held = last_held.get(rid)
    since = health_mod.baseline(
        last_held=held.astimezone(zone_now).date() if held else None, started_on=started_on,
        recommitted_on=recommitted.astimezone(zone_now).date() if recommitted else None,
        created_on=created_at.astimezone(zone_now).date() if created_at else today,
    )
    return health_mod.health_of(cadence_days=cadence, since=since, today=today)


def health_for(*, relationships, today: datetime.date | None = None) -> dict[int, health_mod.Health]:
    """Health of many relationships in two queries, whatever their number."""
    today = today or timezone.localdate()
    rels = list(relationships)
    ids = [r.pk for r in rels]
    inputs = _cadence_inputs(Q(relationship_id__in=ids), Relationship.objects.filter(pk__in=ids))
    zone_now = timezone.get_current_timezone()
    return {r.pk: _health(r.pk, r.started_on, r.created_at, inputs, today, zone_now) for r in rels}


def upcoming_meetings_for(*, user, limit: int = 5, now=None) -> list[Meeting]:
    """The person's next scheduled meetings, in one query (dashboard piece)."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(Q(relationship__mentee=user) | Q(relationship__mentor=user),
                               status=Meeting.Status.SCHEDULED, starts_at__gte=now - datetime.timedelta(hours=2),
                               relationship__status__in=Relationship.OPEN_STATUSES)
        .select_related("relationship__mentee", "relationship__mentor").order_by("starts_at")[:limit]
    )


def my_relationships(*, user) -> list[Relationship]:
    return list(
        Relationship.objects.filter(Q(mentee=user) | Q(mentor=user)).select_related("mentee", "mentor", "program")
        .order_by("status", "-created_at")
    )


def calendar_meetings_for(*, user, since=None) -> QuerySet[Meeting]:
    since = since or timezone.now() - datetime.timedelta(days=90)
    return Meeting.objects.filter(Q(relationship__mentee=user) | Q(relationship__mentor=user),
                                  starts_at__gte=since).exclude(status=Meeting.Status.RESCHEDULED).select_related(
        "relationship__mentee", "relationship__mentor").order_by("starts_at")


def resource_levels_q(*, program) -> Q:
    """The resources that belong with a program's work: site-wide ones, its network's and its own."""
    q = Q(program__isnull=True, network__isnull=True)
    if program is not None:
        q |= Q(program_id=program.pk)
        if program.network_id is not None:
            q |= Q(network_id=program.network_id)
    return q


def resources_for_relationship(*, relationship) -> QuerySet[Resource]:
    """What the two sides may attach to an agenda item or homework."""
    return Resource.objects.filter(resource_levels_q(program=relationship.program)).order_by("topic", "title")


def survey_questions(*, program_id: int | None) -> list[dict]:
    form = SurveyForm.objects.filter(program_id=program_id).first() if program_id else None
    if form and form.questions:
        return form.questions
    return [{"key": key, "label": label} for key, label in MCA_COMPETENCIES]


def survey_period(today: datetime.date, every_months: int = 6) -> str:
    """'2026-2' is the second half of 2026 with a six-month period."""
    every = max(1, min(12, every_months))
    return f"{today.year}-{(today.month - 1) // every + 1}"


def feedback_aggregate(*, program_id: int, role: str) -> dict:
    """Mean rating per question over the program's responses, or nothing below MIN_AGGREGATE responses."""
    responses = list(SurveyResponse.objects.filter(program_id=program_id, role=role).values_list("ratings", flat=True))
    questions = survey_questions(program_id=program_id)
    if len(responses) < MIN_AGGREGATE:
        return {"count": len(responses), "enough": False, "rows": []}
    rows = []
    for question in questions:
        values = [r[question["key"]] for r in responses if isinstance(r.get(question["key"]), int)]
        rows.append({"label": question["label"], "n": len(values),
                     "mean": round(sum(values) / len(values), 1) if len(values) >= MIN_AGGREGATE else None})
    return {"count": len(responses), "enough": True, "rows": rows}


def survey_response_rates(*, program_id: int, today: datetime.date | None = None) -> dict[str, dict]:
    """Per side (mentee, mentor): how many of the program's active relationships answered this period's
    survey. Like the averages, a rate is given only for a group of at least MIN_AGGREGATE relationships."""
    form = SurveyForm.objects.filter(program_id=program_id).first()
    period = survey_period(today or timezone.localdate(), form.every_months if form else 6)
    active = Relationship.objects.filter(program_id=program_id, status=Relationship.Status.ACTIVE)
    asked = active.count()
    answered = dict(SurveyResponse.objects.filter(relationship__in=active, period=period).values_list("role")
                    .annotate(n=Count("relationship_id", distinct=True)).values_list("role", "n"))
    rates = {}
    for role in ("mentee", "mentor"):
        enough = asked >= MIN_AGGREGATE
        rates[role] = {"period": period, "asked": asked, "answered": answered.get(role, 0) if enough else None,
                       "percent": round(100 * answered.get(role, 0) / asked) if enough else None}
    return rates


def counts_for_coordinator(*, relationship) -> dict:
    row = Meeting.objects.filter(relationship=relationship).aggregate(
        held=Count("id", filter=Q(status=Meeting.Status.HELD)),
        missed=Count("id", filter=Q(status=Meeting.Status.MISSED)),
        scheduled=Count("id", filter=Q(status=Meeting.Status.SCHEDULED)),
    )
    row["open_actions"] = ActionItem.objects.filter(relationship=relationship, done_at__isnull=True).count()
    return row


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def open_rematch_requests(*, program) -> list:
    """Rematch requests of the program's relationships that no coordinator has handled yet, oldest first."""
    return list(RematchRequest.objects.filter(relationship__program=program, handled_at__isnull=True)
                .select_related("relationship__mentee", "relationship__mentor", "requested_by").order_by("created_at"))


def program_health(*, program_ids, today: datetime.date | None = None,
                   with_attention: bool = True) -> dict[int, dict]:
    """Per program: how many active relationships are on track, at risk or lapsed, and (unless
    `with_attention` is False, as the home dashboard asks) which need attention.

    Three queries for the counts whatever the number of programs or relationships, each filtered by
    program in the database (no list of ids sent back), on plain rows; one more for the people of
    the relationships that need attention.
    """
    today = today or timezone.localdate()
    active = Relationship.objects.filter(program_id__in=program_ids, status=Relationship.Status.ACTIVE)
    rows = list(active.values_list("pk", "program_id", "started_on", "created_at"))
    inputs = _cadence_inputs(Q(relationship__in=active), active)
    result: dict[int, dict] = {pid: {health_mod.ON_TRACK: 0, health_mod.AT_RISK: 0, health_mod.LAPSED: 0,
                                     "attention": []} for pid in program_ids}
    needing: dict[int, health_mod.Health] = {}
    zone_now = timezone.get_current_timezone()  # once: localdate() looks it up on every call
    for rid, program_id, started_on, created_at in rows:
        state = _health(rid, started_on, created_at, inputs, today, zone_now)
        result[program_id][state.state] += 1
        if state.state != health_mod.ON_TRACK:
            needing[rid] = state
    if with_attention and needing:
        for relationship in Relationship.objects.filter(pk__in=needing).select_related("mentee", "mentor"):
            result[relationship.program_id]["attention"].append((relationship, needing[relationship.pk]))
        for row in result.values():
            row["attention"].sort(key=lambda pair: (-pair[1].days_since, pair[0].pk))
    return result


@dataclass
class RelationshipHealthRow:
    """One active relationship of a program, as its coordinators' list shows it."""

    id: int
    mentee_id: int
    mentee_name: str
    mentor_id: int
    mentor_name: str
    kind: str
    started_on: datetime.date | None
    health: health_mod.Health
    survey: dict[str, bool] = field(default_factory=dict)  # role -> answered this period (the feedback list)

    @property
    def state(self) -> str:
        return self.health.state

    @property
    def state_label(self) -> str:
        return self.health.label


def program_relationship_rows(*, program_id: int, state: str = "", today: datetime.date | None = None
                              ) -> list[RelationshipHealthRow]:
    """Every active relationship of a program with its health (on track, at risk, lapsed), optionally
    only those in one state. Three queries on plain rows, whatever the number of relationships."""
    today = today or timezone.localdate()
    active = Relationship.objects.filter(program_id=program_id, status=Relationship.Status.ACTIVE)
    inputs = _cadence_inputs(Q(relationship__in=active), active)
    zone_now = timezone.get_current_timezone()
    rows = []
    for rid, mentee_id, mentee_name, mentee_email, mentor_id, mentor_name, mentor_email, kind, started_on, \
            created_at in active.order_by().values_list(
                "pk", "mentee_id", "mentee__full_name", "mentee__email", "mentor_id", "mentor__full_name",
                "mentor__email", "kind", "started_on", "created_at"):
        health = _health(rid, started_on, created_at, inputs, today, zone_now)
        if state and health.state != state:
            continue
        rows.append(RelationshipHealthRow(
            id=rid, mentee_id=mentee_id, mentee_name=mentee_name or mentee_email, mentor_id=mentor_id,
            mentor_name=mentor_name or mentor_email, kind=kind, started_on=started_on, health=health))
    return rows


def survey_follow_up_rows(*, program_id: int, today: datetime.date | None = None
                          ) -> tuple[str, list[RelationshipHealthRow] | None]:
    """This period's survey and, per active relationship, whether each side has answered it (never what).
    Like the rates, only for a group of at least MIN_AGGREGATE relationships (None below that)."""
    form = SurveyForm.objects.filter(program_id=program_id).first()
    period = survey_period(today or timezone.localdate(), form.every_months if form else 6)
    rows = program_relationship_rows(program_id=program_id, today=today)
    if len(rows) < MIN_AGGREGATE:
        return period, None
    answered = set(SurveyResponse.objects.filter(relationship__program_id=program_id, period=period,
                                                 relationship__status=Relationship.Status.ACTIVE)
                   .values_list("relationship_id", "role"))
    for row in rows:
        row.survey = {role: (row.id, role) in answered for role in ("mentee", "mentor")}
    return period, rows


# --- a mentor's "My mentees" -------------------------------------------------------------------------------

@dataclass
class MenteeOverview:
    relationship: Relationship
    health: health_mod.Health | None
    plan: object | None  # the mentee's learning plan of this academic year (ILP app), if any
    goals_by_state: list[tuple[str, int]]
    open_change_requests: int
    overdue_actions: int
    last_meeting: datetime.datetime | None
    next_meeting: Meeting | None
    reasons: list[str] = field(default_factory=list)
    attention: int = 0


def mentees_overview(*, mentor, today: datetime.date | None = None, now=None) -> list[MenteeOverview]:
    """Each open relationship the person mentors, with what calls for their attention, most pressing first.
    A fixed number of queries (relationships, health, plans, goals, change requests, action items, meetings),
    whatever the number of mentees."""
    today, now = today or timezone.localdate(), now or timezone.now()
    relationships = list(Relationship.objects.filter(mentor=mentor, status__in=Relationship.OPEN_STATUSES)
                         .select_related("mentee", "mentee__profile", "program").order_by("mentee__full_name", "pk"))
    if not relationships:
        return []
    ids = [r.pk for r in relationships]
    mentee_ids = [r.mentee_id for r in relationships]
    health = health_for(relationships=relationships, today=today)
    plans = {plan.mentee_id: plan for plan in LearningPlan.objects.filter(
        mentee_id__in=mentee_ids, academic_year=current_academic_year())}
    goal_counts: dict[int, dict[str, int]] = {}
    for plan_id, status, n in (Goal.objects.filter(plan__in=plans.values()).order_by()
                               .values_list("plan_id", "status").annotate(n=Count("id"))):
        goal_counts.setdefault(plan_id, {})[status] = n
    open_changes = dict(GoalChangeRequest.objects.filter(goal__plan__in=plans.values(), resolved_at__isnull=True)
                        .order_by().values_list("goal__plan_id").annotate(n=Count("id")))
    overdue = dict(ActionItem.objects.filter(relationship_id__in=ids, done_at__isnull=True, due_on__lt=today)
                   .order_by().values_list("relationship_id").annotate(n=Count("id")))
    last_held = dict(Meeting.objects.filter(relationship_id__in=ids, status=Meeting.Status.HELD)
                     .order_by().values_list("relationship_id").annotate(last=Max("starts_at")))
    upcoming: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(relationship_id__in=ids, status=Meeting.Status.SCHEDULED,
                                          starts_at__gte=now).order_by("starts_at"):
        upcoming.setdefault(meeting.relationship_id, meeting)
    labels = dict(Goal.Status.choices)
    rows = []
    for relationship in relationships:
        plan = plans.get(relationship.mentee_id)
        counts = goal_counts.get(plan.pk, {}) if plan else {}
        row = MenteeOverview(
            relationship=relationship, health=health.get(relationship.pk), plan=plan,
            goals_by_state=[(labels[status], counts[status]) for status in labels if counts.get(status)],
            open_change_requests=open_changes.get(plan.pk, 0) if plan else 0,
            overdue_actions=overdue.get(relationship.pk, 0), last_meeting=last_held.get(relationship.pk),
            next_meeting=upcoming.get(relationship.pk),
        )
        _weigh_attention(row)
        rows.append(row)
    rows.sort(key=lambda row: -row.attention)  # stable: equal attention keeps the order by name
    return rows


def _weigh_attention(row: MenteeOverview) -> None:
    """Why this mentee needs the mentor now, and how much: a plan waiting for their sign-off and a lapsed
    relationship first, then overdue action items, being at risk, no meeting ahead, no plan yet."""
    checks = [
        (row.plan is not None and row.plan.status == LearningPlan.Status.SUBMITTED, 5, "plan waiting for your sign-off"),
        (row.health is not None and row.health.state == health_mod.LAPSED, 5, "lapsed: no meeting for too long"),
        (row.overdue_actions > 0, 3, f"{row.overdue_actions} overdue action item{'s' if row.overdue_actions != 1 else ''}"),
        (row.health is not None and row.health.state == health_mod.AT_RISK, 2, "at risk of lapsing"),
        (row.next_meeting is None, 1, "no meeting scheduled"),
        (row.plan is None, 1, "no learning plan this year"),
    ]
    row.reasons = [reason for applies, _weight, reason in checks if applies]
    row.attention = sum(weight for applies, weight, _reason in checks if applies)


def relationships_visible_to(*, viewer, person) -> QuerySet[Relationship]:
    """A person's relationships (as mentee or mentor) that `viewer` may see: all of their own; for anyone
    else, those in programs the viewer coordinates (all for a site admin), as the relationship page allows."""
    relationships = Relationship.objects.filter(Q(mentee=person) | Q(mentor=person)).select_related("program")
    if viewer.pk == person.pk or viewer.is_superuser:
        return relationships
    return relationships.filter(program_id__in=user_roles(user=viewer).coordinated_program_ids)
