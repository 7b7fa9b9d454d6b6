"""Learning plans for the demo network: about 60 % of mentees have one for this year, at every stage
(draft, submitted, signed off, signed off then reopened), with goals, progress updates, comments,
a few reassessments with goal versions, and milestones. Bulk inserts only.

The demo mentee has a draft plan to carry on with; the demo mentor also mentors one generated
mentee of the demo program whose plan waits for their sign-off.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from mentora.core.demo import write_rows
from mentora.relationships.models import Relationship

from .models import (
    Goal,
    GoalComment,
    GoalDecision,
    GoalVersion,
    LearningPlan,
    Milestone,
    ProgressUpdate,
    Review,
    SignOff,
)

SHARE_WITH_PLAN = 0.6
# (domain, statement, measure): most S.M.A.R.T., some not, as residents really write them.
GOALS = [
    ("patient_care", "Complete 10 supervised ultrasound-guided IV placements by 31 March, logged in the procedure log", "10 logged placements"),
    ("patient_care", "Lead family meetings for 5 ICU patients with my attending observing by the end of the ICU block", "5 observed meetings with feedback forms"),
    ("patient_care", "Get better at procedures", ""),
    ("medical_knowledge", "Score above the 60th percentile on the in-training examination in January", "ITE percentile"),
    ("medical_knowledge", "Complete 400 board-review questions in cardiology and nephrology by 15 December", "400 questions, 70% correct"),
    ("medical_knowledge", "Understand acid-base physiology", ""),
    ("practice_based_learning", "Finish one PDSA cycle on discharge-before-noon on my ward by 30 April", "One completed PDSA cycle presented at QI day"),
    ("practice_based_learning", "Present 2 morbidity and mortality cases at department conference by June", "Two presentations given"),
    ("interpersonal_communication", "Use teach-back with every discharge on my next ward month and record 20 in my log", "20 logged teach-backs"),
    ("interpersonal_communication", "Improve my communication with nurses", ""),
    ("professionalism", "Complete all notes within 24 hours of each encounter for the whole academic year", "EHR delinquency report at zero"),
    ("systems_based_practice", "Shadow case management for two half-days and map one discharge barrier by February", "Barrier map shared with the QI team"),
    ("career", "Meet 3 cardiology fellowship program directors at the ACC meeting by 31 March", "Three conversations, notes in my file"),
    ("career", "Decide between hospital medicine and fellowship by the end of PGY-2", "Written decision discussed with my mentor"),
    ("career", "Network more", ""),
    ("research", "Submit one case report abstract to the regional ACP meeting by 15 November", "Abstract submitted"),
    ("research", "Complete CITI human-subjects training and join one IRB-approved project by January", "CITI certificate and project role"),
    ("wellbeing", "Exercise 3 times a week for 30 minutes through the end of the ICU rotation", "Exercise log"),
    ("wellbeing", "Keep one protected day off every week during ward months this year", "Schedule review with my chief"),
    ("licensing_visa", "Pass USMLE Step 3 by 30 June", "Passing score report"),
    ("licensing_visa", "Submit my J-1 waiver application (Conrad 30) by 1 September", "Application confirmation"),
    ("licensing_visa", "Sort out my visa", ""),
]
VISIONS = [
    "In five years I want to be an academic hospitalist who teaches residents and leads quality improvement.",
    "I see myself as a cardiology fellow and, later, a clinician-investigator in heart failure outcomes.",
    "I want to practise primary care in an underserved community through the Conrad 30 program and mentor IMGs.",
    "A clinician educator running a residency track for International Medical Graduates.",
    "A pulmonary and critical care physician with a research interest in sepsis outcomes.",
]
ASSESSMENT = {
    "patient_care": {"strengths": "Thorough histories; calm with sick patients", "growth": "Procedural confidence"},
    "medical_knowledge": {"strengths": "Strong basic science", "growth": "US guidelines and drug names"},
    "interpersonal_communication": {"strengths": "Speaks three languages with patients", "growth": "Brief, structured handoffs"},
    "systems_based_practice": {"strengths": "", "growth": "Insurance and discharge planning in the US system"},
    "licensing_visa": {"strengths": "ECFMG certified", "growth": "Plan the waiver timeline"},
}
MILESTONES = ["USMLE Step 3 taken", "In-training examination", "Fellowship applications submitted",
              "Visa renewal filed", "Research abstract deadline", "Semi-annual evaluation"]
COMMENTS = ["Good goal; let us look at the log together next month.", "Make the measure a number you can count.",
            "Talk to the program director about protected time for this.", "Well done on the progress so far."]
STRATEGIES = "Ask my attending for feedback each week; block time in my calendar; review with my mentor monthly."


@dataclass
class DemoGoal:
    """A goal's values before insertion: plain data, not a model instance (60 % faster at design scale)."""

    plan_id: int
    statement: str
    measure: str
    target_date: datetime.date
    domain: str
    why_it_matters: str
    priority: str
    is_stretch: bool
    strategies: str
    status: str
    percent_done: int
    pk: int | None = None
    version: int = 1


GOAL_COLUMNS = ["plan", "statement", "measure", "target_date", "why_it_matters", "domain", "priority", "is_stretch",
                "strategies", "resources", "evidence", "status", "percent_done", "version", "created_at", "updated_at"]


def _fast_insert(context, model, fields: list[str], rows: list[tuple], phase: str) -> None:
    """Straight into the table (COPY or executemany, core.demo.write_rows): the largest demo tables skip the
    ORM's per-object work. Dates and times are adapted by the backend's own operations."""
    ops = connection.ops
    meta = model._meta
    adapters = []
    for name in fields:
        internal = meta.get_field(name).get_internal_type()
        adapters.append(ops.adapt_datetimefield_value if internal == "DateTimeField"
                        else ops.adapt_datefield_value if internal == "DateField" else None)
    write_rows(model, [meta.get_field(name) for name in fields],
               (tuple(adapt(value) if adapt and value is not None else value
                      for adapt, value in zip(adapters, row, strict=True)) for row in rows), context.progress, phase)


def _insert_goals(context, goals: list[DemoGoal], now) -> None:
    before = Goal.objects.aggregate(last=Max("pk"))["last"] or 0
    _fast_insert(context, Goal, GOAL_COLUMNS, [
        (g.plan_id, g.statement, g.measure, g.target_date, g.why_it_matters, g.domain, g.priority, g.is_stretch,
         g.strategies, "", "", g.status, g.percent_done, 1, now, now) for g in goals], "goals")
    # one transaction, one writer: the new rows' keys ascend in the order they were inserted
    ids = list(Goal.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(goals):
        raise RuntimeError("goal rows changed while the demo was inserting them")
    for goal, pk in zip(goals, ids, strict=True):
        goal.pk = pk


def generate(context) -> None:
    rng, today, year = context.rng, context.today, context.academic_year
    now = timezone.now()
    mentor_of: dict[int, int] = dict(
        Relationship.objects.filter(pk__in=context.relationship_ids, status=Relationship.Status.ACTIVE)
        .order_by("pk").values_list("mentee_id", "mentor_id")
    )
    demo_mentee, demo_mentor = context.logins["mentee"], context.logins["mentor"]
    waiting_mentee = next((m for m in context.mentee_ids if context.mentee_program.get(m) == context.demo_program.pk), None)
    if waiting_mentee is not None:
        Relationship.objects.create(mentee_id=waiting_mentee, mentor=demo_mentor, kind="clinical",
                                    status=Relationship.Status.ACTIVE, source="manual", program=context.demo_program,
                                    started_on=today - datetime.timedelta(days=40))
    year_start = datetime.date(year, 7, 1)

    # Plans: (mentee, program, status, mentor or None)
    plans_spec: list[tuple[int, int | None, str, int | None]] = [
        (demo_mentee.pk, context.demo_program.pk, "draft", None)
    ]
    for mentee_id in context.mentee_ids:
        if mentee_id == waiting_mentee:
            plans_spec.append((mentee_id, context.demo_program.pk, "submitted", demo_mentor.pk))
            continue
        if rng.random() > SHARE_WITH_PLAN:
            continue
        mentor = mentor_of.get(mentee_id)
        roll = rng.random()
        if mentor is None:
            status = "draft" if roll < 0.6 else "submitted"
        else:
            status = "draft" if roll < 0.2 else "submitted" if roll < 0.4 else "approved" if roll < 0.9 else "reopened"
        plans_spec.append((mentee_id, context.mentee_program.get(mentee_id), status, mentor))

    plans = []
    for mentee_id, program_id, status, mentor in plans_spec:
        submitted = now - datetime.timedelta(days=rng.randint(20, 140)) if status != "draft" else None
        approved = submitted + datetime.timedelta(days=rng.randint(1, 15)) if status == "approved" else None
        plans.append(LearningPlan(
            mentee_id=mentee_id, program_id=program_id, academic_year=year, career_vision=rng.choice(VISIONS),
            self_assessment=ASSESSMENT, status="submitted" if status == "reopened" else status,
            submitted_at=submitted, approved_by_id=mentor if status == "approved" else None, approved_at=approved,
            last_reviewed_on=timezone.localdate(approved) if approved else None,
        ))
    plans = context.bulk_create(LearningPlan, plans, "learning plans")

    goals: list[DemoGoal] = []
    goal_plan_index: list[int] = []
    for index, (plan, (mentee_id, _program, status, _mentor)) in enumerate(zip(plans, plans_spec, strict=True)):
        count = 2 if mentee_id == demo_mentee.pk else rng.choice(context.goals_per_plan)
        picks = rng.sample(GOALS, k=count)
        if mentee_id == demo_mentee.pk:
            picks = [GOALS[15], GOALS[5]]  # one S.M.A.R.T. goal, one the coach will want improved
        for position, (domain, statement, measure) in enumerate(picks):
            target = year_start + datetime.timedelta(days=rng.randint(60, 360))
            if target < today:
                target = today + datetime.timedelta(days=rng.randint(14, 200))
            percent = 0 if status == "draft" else rng.choice([0, 10, 25, 40, 60, 80, 100])
            goals.append(DemoGoal(
                plan_id=plan.pk, statement=statement, measure=measure, target_date=target, domain=domain,
                why_it_matters="It moves me toward my career vision." if rng.random() < 0.7 else "",
                priority="focus" if position < 2 else "standard", is_stretch=rng.random() < 0.1,
                strategies=STRATEGIES if rng.random() < 0.6 else "",
                status="not_started" if percent == 0 else "achieved" if percent == 100 else "in_progress",
                percent_done=percent,
            ))
            goal_plan_index.append(index)
    _insert_goals(context, goals, now)

    progress = []
    comments = []
    for goal, index in zip(goals, goal_plan_index, strict=True):
        mentee_id, _program, status, mentor = plans_spec[index]
        if goal.percent_done:
            on = today - datetime.timedelta(days=rng.randint(1, 60))
            progress.append((goal.pk, mentee_id, on, goal.percent_done,
                             "On track" if goal.percent_done < 100 else "Done", now))
        if mentor and status != "draft" and rng.random() < 0.25:
            comments.append(GoalComment(goal_id=goal.pk, author_id=mentor, body=rng.choice(COMMENTS)))
    _fast_insert(context, ProgressUpdate, ["goal", "author", "on", "percent_done", "note", "created_at"],
                 progress, "progress updates")
    context.bulk_create(GoalComment, comments, "goal comments")

    sign_offs = []
    for plan, (mentee_id, _program, status, mentor) in zip(plans, plans_spec, strict=True):
        if status == "approved":
            sign_offs.append(SignOff(plan_id=plan.pk, mentee_id=mentee_id, mentor_id=mentor, signed_at=plan.approved_at))
        elif status == "reopened":
            signed = plan.submitted_at + datetime.timedelta(days=3)
            sign_offs.append(SignOff(plan_id=plan.pk, mentee_id=mentee_id, mentor_id=mentor, signed_at=signed,
                                     reopened_at=signed + datetime.timedelta(days=20), reopened_by_id=mentee_id,
                                     reopened_because="A goal changed"))
    context.bulk_create(SignOff, sign_offs, "sign-offs")

    # Reassessments of about a fifth of the signed-off plans, a goal revised in each.
    reviewed = [i for i, spec in enumerate(plans_spec) if spec[2] == "approved" and rng.random() < 0.2]
    reviews = context.bulk_create(Review, (
        Review(plan_id=plans[i].pk, reviewer_id=plans_spec[i][3], held_on=plans[i].last_reviewed_on,
               summary="Mid-year review: refocused on what matters most.") for i in reviewed), "reviews")
    review_of = {i: review for i, review in zip(reviewed, reviews, strict=True)}
    decisions, versions, revised = [], [], []
    for goal, index in zip(goals, goal_plan_index, strict=True):
        review = review_of.get(index)
        if review is None or goal.status not in ("not_started", "in_progress"):
            continue
        outcome = "revised" if not revised or revised[-1][1] != index else "kept"
        decisions.append(GoalDecision(review_id=review.pk, goal_id=goal.pk, outcome=outcome, version_before=1,
                                      reason="Target date moved after the rotation change" if outcome == "revised"
                                      else "On track"))
        if outcome == "revised":
            versions.append(GoalVersion(
                goal_id=goal.pk, version=1, statement=goal.statement, measure=goal.measure,
                target_date=goal.target_date - datetime.timedelta(days=45), why_it_matters=goal.why_it_matters,
                domain=goal.domain, priority=goal.priority, is_stretch=goal.is_stretch, strategies=goal.strategies,
                status=goal.status, replaced_at=now, replaced_by_id=review.reviewer_id,
                change_reason="Revised at the mid-year review: target date moved after the rotation change",
            ))
            revised.append((goal.pk, index))
    context.bulk_create(GoalDecision, decisions, "goal decisions")
    context.bulk_create(GoalVersion, versions, "goal versions")
    if revised:
        Goal.objects.filter(pk__in=[goal_id for goal_id, _ in revised]).update(version=2)

    milestones = []
    for plan, (mentee_id, *_rest) in zip(plans, plans_spec, strict=True):
        if mentee_id == demo_mentee.pk:
            milestones.append(Milestone(plan_id=plan.pk, title="USMLE Step 3 taken", due_on=today + datetime.timedelta(days=120)))
        elif rng.random() < 0.4:
            due = year_start + datetime.timedelta(days=rng.randint(30, 330))
            milestones.append(Milestone(plan_id=plan.pk, title=rng.choice(MILESTONES), due_on=due,
                                        completed_on=due if due < today else None))
    context.bulk_create(Milestone, milestones, "milestones")
