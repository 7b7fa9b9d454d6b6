"""Committing a rollover, and answering whether a relationship goes on into the new year."""

from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentora.background.models import Job
from mentora.background.services import JobResult, job_create
from mentora.core.academic_year import academic_year_label
from mentora.core.task_policy import PermanentFailure
from mentora.ilps.services import ilps_rollover
from mentora.notifications.services import notify
from mentora.programs.models import Membership, Program
from mentora.relationships.models import Relationship

from . import permissions, tasks
from .models import RelationshipRenewal, RolloverOverride, RolloverRun
from .plan import MembershipStep, RolloverPlan, rollover_plan


def rollover_commit(*, program: Program, from_year: int, by=None,
                    progress: Callable[[int, str], None] | None = None) -> tuple[RolloverRun, RolloverPlan]:
    """Carry the program into the next academic year: memberships advance or carry over, the final year
    graduates, continuing mentees get next year's learning plan with their unfinished goals carried
    forward, and each open relationship is asked whether it goes on.

    Resumable rather than all-or-nothing: people are moved ROLLOVER_PEOPLE_PER_TRANSACTION at a time,
    then relationships asked as many at a time, each batch in its own transaction (on SQLite one
    transaction of thousands of people held the only write lock for minutes, and web requests waiting
    behind it failed). Each batch does, under the program's lock, only what is still missing for its
    people (memberships that exist are skipped, plans rolled once, relationships asked once), and adds
    what it did to the run's counts in the same transaction. So a rollover stopped mid-way (a worker
    killed) keeps its finished batches, and running it again does only the rest: nothing is doubled or
    lost, and the counts count everyone once. A second run of a finished rollover changes nothing.
    Returns the run and the plan this call started from. `progress(percent, phase)` follows the batches.
    """
    plan = rollover_plan(program=program, from_year=from_year)
    run = _rollover_start(program=program, from_year=from_year, by=by,
                          leaving={action: plan.counts.get(action, 0) for action in LEAVING})
    size = max(1, int(settings.ROLLOVER_PEOPLE_PER_TRANSACTION))
    by_person: dict[int, list[MembershipStep]] = {}
    for step in plan.steps:
        if step.action not in LEAVING:  # nothing is written for them; counted when the run starts
            by_person.setdefault(step.user_id, []).append(step)
    people = sorted(by_person)
    person_batches = [people[i:i + size] for i in range(0, len(people), size)]
    relationship_ids = sorted(plan.relationships_to_ask)
    relationship_batches = [relationship_ids[i:i + size] for i in range(0, len(relationship_ids), size)]
    total = max(1, len(person_batches) + len(relationship_batches))
    for number, batch in enumerate(person_batches, start=1):
        _rollover_people(program=program, from_year=from_year, run_id=run.pk,
                         steps=[step for person in batch for step in by_person[person]])
        if progress:
            progress(10 + 85 * number // total, f"Moved {min(number * size, len(people)):,} of {len(people):,} "
                                                f"people into {academic_year_label(from_year + 1)}")
    for number, batch in enumerate(relationship_batches, start=len(person_batches) + 1):
        _rollover_relationships(program=program, from_year=from_year, run_id=run.pk, relationship_ids=batch)
        if progress:
            asked = min((number - len(person_batches)) * size, len(relationship_ids))
            progress(10 + 85 * number // total, f"Asked {asked:,} of {len(relationship_ids):,} relationships")
    RolloverRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(finished_at=timezone.now())
    run.refresh_from_db()
    return run, plan


def _lock_program(program: Program) -> None:
    Program.objects.select_for_update().filter(pk=program.pk).first()  # one batch of a program's rollover at a time


# Members who do not go on into the next year: nothing is written for them.
LEAVING = ("graduate", "leave")


@transaction.atomic
def _rollover_start(*, program: Program, from_year: int, by, leaving: dict[str, int]) -> RolloverRun:
    """The run's record, written before the first batch; graduates and leavers (nothing to write) counted here."""
    _lock_program(program)
    run, _created = RolloverRun.objects.get_or_create(
        program=program, from_year=from_year, defaults={"committed_by": by, "counts": leaving})
    return run


def _counts_add(*, run_id: int, done: dict[str, int]) -> None:
    """Add what one batch did to the run's counts (in the batch's transaction: counted once, with it)."""
    if not any(done.values()):
        return
    run = RolloverRun.objects.select_for_update().get(pk=run_id)
    run.counts = {key: run.counts.get(key, 0) + done.get(key, 0) for key in set(run.counts) | set(done)}
    run.save(update_fields=["counts"])


@transaction.atomic
def _rollover_people(*, program: Program, from_year: int, run_id: int, steps: list[MembershipStep]) -> None:
    """One batch of people: next year's memberships still missing, then their learning plans."""
    _lock_program(program)
    to_year = from_year + 1
    existing = set(Membership.objects.filter(program=program, academic_year=to_year,
                                             user_id__in={step.user_id for step in steps})
                   .values_list("user_id", "role"))
    moving = [step for step in steps if step.action in {"advance", "carry"} and (step.user_id, step.role) not in existing]
    Membership.objects.bulk_create([
        Membership(user_id=step.user_id, program=program, academic_year=to_year, role=step.role,
                   training_level=step.next_level)
        for step in moving
    ])
    carried = ilps_rollover(mentee_ids=[step.user_id for step in steps if step.role == Membership.Role.MENTEE],
                            from_year=from_year)
    _counts_add(run_id=run_id, done={**Counter(step.action for step in moving), "ilps_opened": carried.plans_opened,
                                     "goals_carried": carried.goals_carried})


@transaction.atomic
def _rollover_relationships(*, program: Program, from_year: int, run_id: int, relationship_ids: list[int]) -> None:
    """One batch of open relationships: each not asked yet is asked (a renewal, a notice to both sides)."""
    _lock_program(program)
    to_year = from_year + 1
    asked_before = set(RelationshipRenewal.objects.filter(relationship_id__in=relationship_ids, academic_year=to_year)
                       .values_list("relationship_id", flat=True))
    renewals = RelationshipRenewal.objects.bulk_create([
        RelationshipRenewal(relationship_id=rid, academic_year=to_year) for rid in relationship_ids
        if rid not in asked_before
    ])
    asked = (RelationshipRenewal.objects.filter(pk__in=[r.pk for r in renewals])
             .select_related("relationship__mentee", "relationship__mentor"))
    to_label = academic_year_label(to_year)
    for renewal in asked:
        relationship = renewal.relationship
        url = reverse("rollover:rollover_renewal", args=[renewal.pk])
        for person, other in ((relationship.mentee, relationship.mentor), (relationship.mentor, relationship.mentee)):
            notify(
                user=person, kind="ilp_review_due", key=f"renewal-{renewal.pk}",
                title=f"Continue, change or close your mentoring with {other.display_name} in {to_label}?",
                body=(f"{program.name} is moving into the {to_label} academic year. Tell us whether your "
                      f"{relationship.get_kind_display().lower()} mentoring with {other.display_name} goes on as it "
                      "is, goes on with changes, or closes."),
                url=url,
            )
    _counts_add(run_id=run_id, done={"relationships_asked": len(renewals)})


@transaction.atomic
def rollover_request(*, program: Program, from_year: int, by) -> Job:
    """Queue the rollover of a program (it takes seconds at thousands of members); its job page follows it."""
    if not permissions.can_roll_over(by, program):
        raise PermissionDenied
    active = Job.objects.filter(kind=Job.Kind.ROLLOVER, program=program, params__from_year=from_year,
                                status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    if active is not None:
        return active

    return job_create(kind=Job.Kind.ROLLOVER,
                      title=f"Rollover of {program.name} into {academic_year_label(from_year + 1)}",
                      by=by, program=program, params={"from_year": from_year}, task=tasks.rollover_task)


def rollover_job(*, job: Job, progress) -> JobResult:
    """The work of a rollover job: commit it (a second run only does what is missing) and say what changed."""
    program, from_year = job.program, job.params["from_year"]
    if job.requested_by is None or not permissions.can_roll_over(job.requested_by, program):
        raise PermanentFailure("The person who asked for this rollover may no longer roll this program over.")
    progress(10, f"Moving {program.name}'s members into {academic_year_label(from_year + 1)}, "
                 "opening plans, asking relationships")
    run, plan = rollover_commit(program=program, from_year=from_year, by=job.requested_by, progress=progress)
    counts = run.counts  # the whole rollover's, batches an earlier, stopped attempt finished included
    lines = [f"{counts.get('advance', 0)} residents advance", f"{counts.get('graduate', 0)} graduate",
             f"{counts.get('carry', 0)} carry over", f"{counts.get('leave', 0)} leave the program",
             f"{counts.get('relationships_asked', 0)} relationships asked",
             f"{counts.get('ilps_opened', 0)} learning plans opened, {counts.get('goals_carried', 0)} unfinished "
             "goals carried forward"]
    if plan.already_committed and not plan.changes_anything:
        lines = ["Nothing more to do: this rollover was already committed."]
    return JobResult({"lines": lines, "counts": counts,
                      "links": [{"label": "Back to the rollover", "url": reverse("rollover:rollover_program",
                                                                                 args=[program.slug])}]})


@transaction.atomic
def renewal_answer(*, renewal: RelationshipRenewal, by, answer: str, note: str = "") -> RelationshipRenewal:
    if answer not in {RelationshipRenewal.Answer.CONTINUE, RelationshipRenewal.Answer.CHANGE,
                      RelationshipRenewal.Answer.CLOSE}:
        raise ValidationError({"answer": "Choose continue, change or close."})
    renewal = RelationshipRenewal.objects.select_for_update().select_related(
        "relationship__mentee", "relationship__mentor").get(pk=renewal.pk)
    relationship = renewal.relationship
    if by.pk == relationship.mentee_id:
        renewal.mentee_answer = answer
        other = relationship.mentor
    elif by.pk == relationship.mentor_id:
        renewal.mentor_answer = answer
        other = relationship.mentee
    else:
        raise ValidationError("Only the mentee and the mentor answer.")
    if note.strip():
        renewal.change_note = note.strip()[:1000]
    renewal.save()
    if renewal.outcome == "close" and relationship.is_open:
        relationship.status = Relationship.Status.CLOSED
        relationship.ended_on = timezone.localdate()
        relationship.closing_reason = "Not continued into the new academic year"
        relationship.save(update_fields=["status", "ended_on", "closing_reason", "updated_at"])
    notify(
        user=other, kind="ilp_review_due", key=f"renewal-{renewal.pk}-answer-{by.pk}-{answer}",
        title=f"{by.display_name} answered: {RelationshipRenewal.Answer(answer).label.lower()}",
        body="About your mentoring relationship in the new academic year." + (
            " The relationship is now closed." if renewal.outcome == "close" else ""),
        url=reverse("rollover:rollover_renewal", args=[renewal.pk]),
    )
    return renewal


@transaction.atomic
def rollover_override_set(*, by, program: Program, from_year: int, membership_ids, action: str) -> int:
    """Set (or with action "none", remove) the coordinator's exception for members of the program in
    `from_year`: repeats the year, leaves the program, or graduates. Members of other programs or years
    are ignored. Returns how many members it changed."""
    if not permissions.can_roll_over(by, program):
        raise PermissionDenied
    if action != "none" and action not in RolloverOverride.Action.values:
        raise ValidationError({"override": "Choose what happens to the people you ticked."})
    ids = list(Membership.objects.filter(pk__in=list(membership_ids), program=program, academic_year=from_year,
                                         is_active=True).values_list("pk", flat=True))
    if not ids:
        raise ValidationError("Tick at least one person.")
    RolloverOverride.objects.filter(membership_id__in=ids).delete()
    if action != "none":
        RolloverOverride.objects.bulk_create([RolloverOverride(membership_id=pk, action=action, set_by=by)
                                              for pk in ids])
    return len(ids)
