"""Writes about conflicts of interest."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mentora.programs.models import Program

from . import permissions
from .models import ConflictPolicy, EvaluatingRole
from .selectors import conflicts_between


class ConflictOfInterest(ValidationError):
    """Raised when a program's policy forbids pairing a mentee with a mentor who evaluates them."""


@transaction.atomic
def evaluating_role_declare(*, by, role: str, program: Program | None = None, mentee=None,
                            note: str = "") -> EvaluatingRole:
    if not permissions.can_declare_roles(by):
        raise PermissionDenied("Mentors, coordinators and site admins declare evaluating roles.")
    if role not in EvaluatingRole.Role.values:
        raise ValidationError({"role": "Choose one of the listed roles."})
    if (program is None) == (mentee is None):
        raise ValidationError("Give either a program (every mentee of it) or one mentee.")
    if mentee is not None and mentee.pk == by.pk:
        raise ValidationError({"mentee": "You cannot evaluate yourself."})
    try:
        with transaction.atomic():
            return EvaluatingRole.objects.create(mentor=by, role=role, program=program, mentee=mentee,
                                                 note=note.strip()[:200])
    except IntegrityError:
        raise ValidationError("You have already declared this role.") from None


@transaction.atomic
def evaluating_role_remove(*, by, role_id: int) -> bool:
    """Remove one of `by`'s own roles: anyone else's (or none) is not found, and False says so."""
    deleted, _ = EvaluatingRole.objects.filter(mentor=by, pk=role_id).delete()
    return bool(deleted)


@transaction.atomic
def conflict_policy_set(*, program: Program, forbid_evaluator_pairs: bool, by,
                        coordinator_may_override: bool = False) -> ConflictPolicy:
    if not permissions.can_set_policy(by, program):
        raise PermissionDenied("Only the program's coordinators set its conflict-of-interest policy")
    if forbid_evaluator_pairs and coordinator_may_override:
        raise ValidationError({"coordinator_may_override": "A program that never pairs a mentee with an evaluator "
                                                           "cannot let a coordinator keep such a pair."})
    policy, _ = ConflictPolicy.objects.update_or_create(
        program=program, defaults={"forbid_evaluator_pairs": forbid_evaluator_pairs,
                                   "coordinator_may_override": coordinator_may_override, "updated_by": by}
    )
    return policy


def pair_check_allowed(*, mentor, mentee) -> list:
    """For services that create a pair: raise ConflictOfInterest if a policy forbids it; otherwise
    return the (warning-only) conflicts so the caller can show them."""
    conflicts = conflicts_between(mentor, mentee)
    forbidden = [c for c in conflicts if c.forbidden]
    if forbidden:
        raise ConflictOfInterest(
            f"{mentor.display_name} evaluates {mentee.display_name} ({forbidden[0].text}), and the program "
            "does not allow a mentor who also evaluates the mentee.",
            code="conflict_of_interest",
        )
    return conflicts
