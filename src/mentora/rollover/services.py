"""Committing a rollover, and answering whether a relationship goes on into the new year."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentora.background.models import Job
from mentora.background.policy import PermanentFailure
from mentora.background.services import JobResult, job_create
from mentora.ilps.services import ilps_rollover
from mentora.notifications.services import notify
from mentora.programs.models import Membership, Program
from mentora.relationships.models import Relationship

from . import permissions
from .models import RelationshipRenewal, RolloverOverride, RolloverRun
from .plan import RolloverPlan, rollover_plan


def _label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


@transaction.atomic
def rollover_commit(*, program: Program, from_year: int, by=None) -> tuple[RolloverRun, RolloverPlan]:
    """Carry the program into the next academic year: memberships advance or carry over, the final year
    graduates, continuing mentees get next year's learning plan with their unfinished goals carried
    forward, and each open relationship is asked whether it goes on. Safe to run again: only what is
    missing is done (memberships that exist are skipped, plans rolled once, relationships asked once),
    so a second run changes nothing."""
    Program.objects.select_for_update().filter(pk=program.pk).first()  # one rollover of a program at a time
    plan = rollover_plan(program=program, from_year=from_year)
    to_year = from_year + 1
    Membership.objects.bulk_create([
        Membership(user_id=step.user_id, program=program, academic_year=to_year, role=step.role,
                   training_level=step.next_level)
        for step in plan.steps if step.action in {"advance", "carry"}
    ])
    renewals = RelationshipRenewal.objects.bulk_create([
        RelationshipRenewal(relationship_id=rid, academic_year=to_year) for rid in plan.relationships_to_ask
    ])
    asked = (RelationshipRenewal.objects.filter(pk__in=[r.pk for r in renewals])
             .select_related("relationship__mentee", "relationship__mentor"))
    for renewal in asked:
        relationship = renewal.relationship
        url = reverse("rollover_renewal", args=[renewal.pk])
        for person, other in ((relationship.mentee, relationship.mentor), (relationship.mentor, relationship.mentee)):
            notify(
                user=person, kind="ilp_review_due", key=f"renewal-{renewal.pk}",
                title=f"Continue, change or close your mentoring with {other.display_name} in {_label(to_year)}?",
                body=(f"{program.name} is moving into the {_label(to_year)} academic year. Tell us whether your "
                      f"{relationship.get_kind_display().lower()} mentoring with {other.display_name} goes on as it "
                      "is, goes on with changes, or closes."),
                url=url,
            )
    carried = ilps_rollover(mentee_ids=plan.continuing_mentee_ids, from_year=from_year)
    counts = {**plan.counts, "ilps_opened": carried.plans_opened, "goals_carried": carried.goals_carried}
    run, created = RolloverRun.objects.get_or_create(
        program=program, from_year=from_year, defaults={"committed_by": by, "counts": counts}
    )
    if not created and plan.changes_anything:
        run.counts = {key: run.counts.get(key, 0) + counts.get(key, 0) for key in set(run.counts) | set(counts)}
        run.save(update_fields=["counts"])
    return run, plan


@transaction.atomic
def rollover_request(*, program: Program, from_year: int, by) -> Job:
    """Queue the rollover of a program (it takes seconds at thousands of members); its job page follows it."""
    if not permissions.can_roll_over(by, program):
        raise PermissionDenied
    active = Job.objects.filter(kind=Job.Kind.ROLLOVER, program=program, params__from_year=from_year,
                                status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    if active is not None:
        return active
    from .tasks import rollover_task

    return job_create(kind=Job.Kind.ROLLOVER, title=f"Rollover of {program.name} into {_label(from_year + 1)}",
                      by=by, program=program, params={"from_year": from_year}, task=rollover_task)


def rollover_job(*, job: Job, progress) -> JobResult:
    """The work of a rollover job: commit it (a second run only does what is missing) and say what changed."""
    program, from_year = job.program, job.params["from_year"]
    if job.requested_by is None or not permissions.can_roll_over(job.requested_by, program):
        raise PermanentFailure("The person who asked for this rollover may no longer roll this program over.")
    progress(10, f"Moving {program.name}'s members into {_label(from_year + 1)}, opening plans, asking relationships")
    run, plan = rollover_commit(program=program, from_year=from_year, by=job.requested_by)
    counts = plan.counts
    lines = [f"{counts.get('advance', 0)} residents advance", f"{counts.get('graduate', 0)} graduate",
             f"{counts.get('carry', 0)} carry over", f"{counts.get('leave', 0)} leave the program", f"{counts.get('relationships_to_ask', 0)} relationships asked",
             f"{plan.ilps_to_open} learning plans opened, {plan.goals_to_carry} unfinished goals carried forward"]
    if not plan.changes_anything:
        lines = ["Nothing more to do: this rollover was already committed."]
    return JobResult({"lines": lines, "counts": counts,
                      "links": [{"label": "Back to the rollover", "url": reverse("rollover_program",
                                                                                 args=[program.slug])}]})


@transaction.atomic
def renewal_answer(*, renewal: RelationshipRenewal, user, answer: str, note: str = "") -> RelationshipRenewal:
    if answer not in {RelationshipRenewal.Answer.CONTINUE, RelationshipRenewal.Answer.CHANGE,
                      RelationshipRenewal.Answer.CLOSE}:
        raise ValidationError({"answer": "Choose continue, change or close."})
    renewal = RelationshipRenewal.objects.select_for_update().select_related(
        "relationship__mentee", "relationship__mentor").get(pk=renewal.pk)
    relationship = renewal.relationship
    if user.pk == relationship.mentee_id:
        renewal.mentee_answer = answer
        other = relationship.mentor
    elif user.pk == relationship.mentor_id:
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
        user=other, kind="ilp_review_due", key=f"renewal-{renewal.pk}-answer-{user.pk}-{answer}",
        title=f"{user.display_name} answered: {RelationshipRenewal.Answer(answer).label.lower()}",
        body="About your mentoring relationship in the new academic year." + (
            " The relationship is now closed." if renewal.outcome == "close" else ""),
        url=reverse("rollover_renewal", args=[renewal.pk]),
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
