"""Reads about learning plans: one plan with everything on it, dashboards, review dates, compliance."""

from __future__ import annotations

import calendar
import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.core.data_version import cached
from mentora.programs.models import Membership, Program
from mentora.relationships.models import Relationship
from mentora.smart import analyze

from . import permissions
from .models import (
    Goal,
    GoalChangeRequest,
    GoalComment,
    GoalDecision,
    GoalVersion,
    LearningPlan,
    ProgressUpdate,
    Review,
    SignOff,
)
from .permissions import visible_plans

REVIEW_INTERVAL_MONTHS = {
    Program.ReviewFrequency.ANNUAL: 12,
    Program.ReviewFrequency.SEMIANNUAL: 6,
    Program.ReviewFrequency.QUARTERLY: 3,
}
APPROVAL_WINDOW_DAYS = 365  # "an approved ILP in the last 12 months"


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_interval_months(frequency: str | None) -> int:
    return REVIEW_INTERVAL_MONTHS.get(frequency or "", 12)  # at least annually, whatever happens


def review_due_on(
    *, last_reviewed_on: datetime.date | None, submitted_at: datetime.datetime | None, frequency: str | None
) -> datetime.date | None:
    """When the next review is due: one interval of the program's frequency after the last review
    (or after submission, for a plan never reviewed). None for a draft."""
    anchor = last_reviewed_on or (timezone.localdate(submitted_at) if submitted_at else None)
    if anchor is None:
        return None
    return add_months(anchor, review_interval_months(frequency))


def plan_review_due_on(plan: LearningPlan) -> datetime.date | None:
    frequency = plan.program.review_frequency if plan.program_id else None
    return review_due_on(last_reviewed_on=plan.last_reviewed_on, submitted_at=plan.submitted_at, frequency=frequency)


def plan_detail(*, plan_id: int) -> LearningPlan:
    """One plan with its goals, their history, progress, comments and decisions, in a fixed number of queries."""
    goals = Goal.objects.prefetch_related(
        Prefetch("versions", queryset=GoalVersion.objects.select_related("replaced_by")),
        Prefetch("progress_updates", queryset=ProgressUpdate.objects.select_related("author")),
        Prefetch("comments", queryset=GoalComment.objects.select_related("author")),
        Prefetch("decisions", queryset=GoalDecision.objects.select_related("review", "review__reviewer")),
        Prefetch("change_requests", queryset=GoalChangeRequest.objects.select_related("requested_by", "resolved_by")),
    )
    return get_object_or_404(
        LearningPlan.objects.select_related("mentee", "program", "approved_by").prefetch_related(
            Prefetch("goals", queryset=goals),
            Prefetch("sign_offs", queryset=SignOff.objects.select_related("mentor", "reopened_by")),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").prefetch_related(
                Prefetch("decisions", queryset=GoalDecision.objects.select_related("goal"))
            )),
            "milestones",
        ),
        pk=plan_id,
    )


def plan_for(*, plan_id: int) -> LearningPlan:
    return get_object_or_404(LearningPlan.objects.select_related("mentee", "program"), pk=plan_id)


def goal_for(*, goal_id: int) -> Goal:
    return get_object_or_404(Goal.objects.select_related("plan", "plan__mentee", "plan__program"), pk=goal_id)


def plans_visible_to(*, viewer, status: str | None = None) -> QuerySet[LearningPlan]:
    qs = permissions.visible_plans(viewer).select_related("mentee", "program").annotate(
        goal_count=Count("goals", distinct=True)
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-academic_year", "mentee__full_name", "pk")


def goal_choices_for(*, mentee_id: int) -> list[tuple[int, str]]:
    """Open goals of a mentee's plans, for linking meeting agenda items to goals (mentora.meetings)."""
    goals = Goal.objects.filter(plan__mentee_id=mentee_id, status__in=Goal.OPEN_STATUSES).order_by(
        "-plan__academic_year", "target_date", "pk"
    ).values_list("pk", "statement")
    return [(pk, statement if len(statement) <= 90 else statement[:89] + "…") for pk, statement in goals]


def current_plan_of(*, mentee) -> LearningPlan | None:
    return LearningPlan.objects.filter(mentee=mentee, academic_year=current_academic_year()).first()


# ------------------------------------------------------------------------------------------------
# Dashboards (each a fixed number of queries)


def mentee_dashboard_plan(*, user) -> dict:
    """This year's plan with goal counts and the next target date: one query."""
    plan = (
        LearningPlan.objects.filter(mentee=user, academic_year=current_academic_year())
        .select_related("program")
        .annotate(
            open_goals=Count("goals", filter=Q(goals__status__in=Goal.OPEN_STATUSES)),
            achieved_goals=Count("goals", filter=Q(goals__status=Goal.Status.ACHIEVED)),
            next_target=Subquery(
                Goal.objects.filter(
                    plan=OuterRef("pk"), status__in=Goal.OPEN_STATUSES, target_date__gte=timezone.localdate()
                ).order_by("target_date").values("target_date")[:1]
            ),
        )
        .first()
    )
    return {"plan": plan, "review_due_on": plan_review_due_on(plan) if plan else None}


def mentor_dashboard_plans(*, user) -> dict:
    """Plans of the mentor's mentees waiting for sign-off: one query."""
    mentored = Relationship.objects.filter(mentor=user, status__in=Relationship.OPEN_STATUSES).values("mentee_id")
    waiting = list(
        visible_plans(user).filter(mentee_id__in=mentored, status=LearningPlan.Status.SUBMITTED)
        .select_related("mentee")
        .order_by("submitted_at", "pk")[:20]
    )
    return {"waiting": waiting}


# ------------------------------------------------------------------------------------------------
# Program compliance


@dataclass
class ComplianceRow:
    mentee_id: int
    mentee_name: str
    plan_id: int | None
    plan_status: str | None
    last_signed_at: datetime.datetime | None
    review_due_on: datetime.date | None
    # The mentee's mentors in open relationships of the program (ids and names, in name order).
    mentors: list[tuple[int, str]] = field(default_factory=list)
    without_approved_plan: bool = False
    review_overdue: bool = False

    @property
    def id(self) -> int:  # the list helper's row id: the mentee
        return self.mentee_id

    @property
    def plan_status_label(self) -> str:
        return LearningPlan.Status(self.plan_status).label if self.plan_status else "No plan this year"

    @property
    def mentor_names(self) -> str:
        return ", ".join(name for _, name in self.mentors)

    @property
    def needs_label(self) -> str:
        needs = []
        if self.without_approved_plan:
            needs.append("No approved ILP")
        if self.review_overdue:
            needs.append("Review overdue")
        return " · ".join(needs)


@dataclass
class ProgramCompliance:
    program: Program
    mentees: int = 0
    without_approved_plan: list[ComplianceRow] = field(default_factory=list)
    review_overdue: list[ComplianceRow] = field(default_factory=list)

    @property
    def needing_attention(self) -> list[ComplianceRow]:
        """Each mentee once, whatever they need (an approved plan, an overdue review, or both)."""
        rows = {row.mentee_id: row for row in self.without_approved_plan}
        rows.update({row.mentee_id: row for row in self.review_overdue})
        return list(rows.values())

    @property
    def compliant(self) -> int:
        flagged = {row.mentee_id for row in self.without_approved_plan} | {row.mentee_id for row in self.review_overdue}
        return self.mentees - len(flagged)


def program_compliance(*, program_ids, today: datetime.date | None = None) -> list[ProgramCompliance]:
    """Per program: this year's mentees without a plan signed off in the last 12 months, and those whose
    review is overdue by the program's review frequency, with their mentors. Five queries, whatever the
    number of mentees."""
    today = today or timezone.localdate()
    year = current_academic_year()
    window_start = timezone.now() - datetime.timedelta(days=APPROVAL_WINDOW_DAYS)
    programs = {p.pk: ProgramCompliance(program=p) for p in Program.objects.filter(pk__in=program_ids)
                .select_related("institution").order_by("name")}
    memberships = Membership.objects.filter(program_id__in=programs, academic_year=year,
                                            role=Membership.Role.MENTEE, is_active=True)
    mentees = memberships.values("user_id")
    # Three flat queries joined here: correlated subqueries per membership cost half a second at
    # 15,000 mentees on PostgreSQL.
    plans = {
        mentee_id: (plan_id, status, reviewed, submitted)
        for plan_id, mentee_id, status, reviewed, submitted in LearningPlan.objects.filter(
            academic_year=year, mentee_id__in=mentees).values_list(
            "pk", "mentee_id", "status", "last_reviewed_on", "submitted_at")
    }  # one plan per mentee and year (a constraint)
    last_signed = dict(
        SignOff.objects.filter(mentee_id__in=mentees).values_list("mentee_id").annotate(last=Max("signed_at"))
        .values_list("mentee_id", "last")
    )
    rows = (
        (program_id, user_id, name, *plans.get(user_id, (None, None, None, None)), last_signed.get(user_id))
        for program_id, user_id, name in memberships.order_by("user__full_name", "user_id").values_list(
            "program_id", "user_id", "user__full_name")
    )
    mentors: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for program_id, mentee_id, mentor_id, mentor_name, mentor_email in (
        Relationship.objects.filter(program_id__in=programs, mentee_id__in=mentees,
                                    status__in=Relationship.OPEN_STATUSES)
        .order_by("mentor__full_name", "mentor_id")
        .values_list("program_id", "mentee_id", "mentor_id", "mentor__full_name", "mentor__email")
    ):
        mentors.setdefault((program_id, mentee_id), []).append((mentor_id, mentor_name or mentor_email))
    seen: set[tuple[int, int]] = set()
    for program_id, user_id, name, plan_id, status, reviewed, submitted, signed in rows:
        if (program_id, user_id) in seen:
            continue
        seen.add((program_id, user_id))
        report = programs[program_id]
        report.mentees += 1
        due = review_due_on(last_reviewed_on=reviewed, submitted_at=submitted,
                            frequency=report.program.review_frequency) if status and status != "draft" else None
        row = ComplianceRow(user_id, name, plan_id, status, signed, due, mentors.get((program_id, user_id), []),
                            without_approved_plan=signed is None or signed < window_start,
                            review_overdue=due is not None and due < today)
        if row.without_approved_plan:
            report.without_approved_plan.append(row)
        if row.review_overdue:
            report.review_overdue.append(row)
    return list(programs.values())


@dataclass
class ComplianceSummary:
    """What the coordinator's home shows of a program's ILP compliance: counts only."""

    program: Program
    mentees: int
    compliant: int
    without_approved_plan: int
    review_overdue: int


def compliance_summaries(*, program_ids) -> list[ComplianceSummary]:
    """program_compliance in counts, kept in the cache per day with the data version it was computed under
    (the dashboard's: it moves with memberships, relationships, plans and sign-offs) until the data changes,
    so the home page does not read every mentee of the program on each visit."""
    program_ids = sorted(program_ids)
    digest = hashlib.sha256(repr(program_ids).encode()).hexdigest()[:16]
    key = f"ilps:compliance-summary:{timezone.localdate().isoformat()}:{digest}"
    return cached(key, lambda: [
        ComplianceSummary(report.program, report.mentees, report.compliant, len(report.without_approved_plan),
                          len(report.review_overdue))
        for report in program_compliance(program_ids=program_ids)])


def dashboard_context(*, user, roles) -> dict:
    """The ILP pieces of each role's home dashboard, in a fixed number of queries."""
    context: dict = {}
    if roles.is_mentee or not roles.labels:
        context["mentee"] = mentee_dashboard_plan(user=user)
    if roles.is_mentor:
        context["mentor"] = mentor_dashboard_plans(user=user)
    if roles.is_coordinator:
        context["programs"] = compliance_summaries(program_ids=roles.coordinated_program_ids)
    return context


# ------------------------------------------------------------------------------------------------
# Academic-year rollover


@dataclass
class PlanCarryOver:
    """What rolling one mentee's plan into the next academic year would do."""

    mentee_id: int
    previous: LearningPlan | None  # the plan of the year rolled from, if they had one
    next: LearningPlan | None  # the plan of the next year, if it exists already
    goals: list[Goal] = field(default_factory=list)  # unfinished goals still to carry forward

    @property
    def opens_plan(self) -> bool:
        return self.next is None


def plans_to_roll_over(*, mentee_ids, from_year: int) -> list[PlanCarryOver]:
    """For mentees who go on into `from_year + 1`: the plans still to open and the unfinished goals still
    to carry. Empty for a mentee already rolled over (their plan is linked to last year's), so a second
    rollover finds nothing to do, even if the mentee has since edited or deleted a carried goal."""
    mentee_ids = sorted(set(mentee_ids))
    plans = LearningPlan.objects.filter(mentee_id__in=mentee_ids, academic_year__in=[from_year, from_year + 1])
    previous = {p.mentee_id: p for p in plans if p.academic_year == from_year}
    following = {p.mentee_id: p for p in plans if p.academic_year == from_year + 1}
    done = set(LearningPlan.objects.filter(previous_plan__in=previous.values()).values_list(
        "previous_plan_id", flat=True))
    unfinished: dict[int, list[Goal]] = {}
    for goal in Goal.objects.filter(plan__in=previous.values(), status__in=Goal.OPEN_STATUSES).order_by(
            "target_date", "pk"):
        unfinished.setdefault(goal.plan_id, []).append(goal)
    work = []
    for mentee_id in mentee_ids:
        before, after = previous.get(mentee_id), following.get(mentee_id)
        if before is not None and before.pk in done:
            continue
        if before is None and after is not None:
            continue  # nothing to carry and the plan is open
        goals = unfinished.get(before.pk, []) if before is not None else []
        work.append(PlanCarryOver(mentee_id=mentee_id, previous=before, next=after, goals=goals))
    return work


def plans_to_roll_over_counts(*, mentee_ids, from_year: int) -> tuple[int, int]:
    """(plans to open, unfinished goals to carry) of `plans_to_roll_over`, by the same rules, from plain
    rows: the rollover preview counts them for thousands of mentees on every page."""
    mentee_ids = sorted(set(mentee_ids))
    previous, following = {}, set()
    for pk, mentee_id, year in LearningPlan.objects.filter(
            mentee_id__in=mentee_ids, academic_year__in=[from_year, from_year + 1]).values_list(
            "pk", "mentee_id", "academic_year"):
        if year == from_year:
            previous[mentee_id] = pk
        else:
            following.add(mentee_id)
    done = set(LearningPlan.objects.filter(previous_plan_id__in=previous.values()).values_list(
        "previous_plan_id", flat=True))
    goals = dict(Goal.objects.filter(plan_id__in=previous.values(), status__in=Goal.OPEN_STATUSES)
                 .values_list("plan_id").annotate(n=Count("pk")).values_list("plan_id", "n"))
    to_open = to_carry = 0
    for mentee_id in mentee_ids:
        before = previous.get(mentee_id)
        if (before is not None and before in done) or (before is None and mentee_id in following):
            continue
        to_open += mentee_id not in following
        to_carry += goals.get(before, 0) if before is not None else 0
    return to_open, to_carry


@dataclass(frozen=True)
class WeakGoal:
    goal: Goal
    coach: object  # mentora.smart.GoalAssessment


def goals_not_smart(*, plan: LearningPlan, today: datetime.date | None = None) -> list[WeakGoal]:
    """The plan's open goals the S.M.A.R.T. coach does not pass yet, each with the coach's verdict:
    what submitting and signing off warn about before they go through."""
    today = today or timezone.localdate()
    weak = []
    for goal in plan.goals.filter(status__in=Goal.OPEN_STATUSES).order_by("target_date", "pk"):
        coach = analyze(goal.statement, target_date=goal.target_date, measure=goal.measure or None, today=today)
        if not coach.smart:
            weak.append(WeakGoal(goal=goal, coach=coach))
    return weak


def open_change_requests(*, plan: LearningPlan) -> QuerySet[GoalChangeRequest]:
    return (GoalChangeRequest.objects.filter(goal__plan=plan, resolved_at__isnull=True)
            .select_related("goal", "requested_by").order_by("goal__target_date", "goal_id"))
