"""Conflicts of interest over the API: declared roles, the policy, and a pair check."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership, Program
from mentora.programs.selectors import user_roles

from . import permissions, selectors, services

router = Router(tags=["conflicts of interest"])
User = get_user_model()


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    program_slug: str | None
    mentee_id: int | None
    note: str


class RoleIn(Schema):
    role: str
    program_slug: str | None = None
    mentee_id: int | None = None
    note: str = ""


class ConflictOut(Schema):
    role: str
    role_label: str
    scope: str
    program_name: str
    text: str
    forbidden: bool


class CheckOut(Schema):
    mentor_id: int
    mentee_id: int
    conflicts: list[ConflictOut]
    forbidden: bool


class PolicyIn(Schema):
    forbid_evaluator_pairs: bool
    coordinator_may_override: bool = Field(
        False, description="A coordinator may keep a conflict-of-interest pair in a batch match, giving a reason")


class PolicyOut(Schema):
    program_slug: str
    forbid_evaluator_pairs: bool
    coordinator_may_override: bool


def _role_out(role) -> dict:
    return {"id": role.pk, "role": role.role, "role_label": role.get_role_display(),
            "program_slug": role.program.slug if role.program else None, "mentee_id": role.mentee_id,
            "note": role.note}


@router.get("/roles", response=list[RoleOut], summary="My declared evaluating roles")
def roles_list(request):
    return [_role_out(role) for role in selectors.roles_declared_by(mentor=request.auth)]


@router.post("/roles", response={201: RoleOut}, summary="Declare an evaluating role")
def roles_create(request, payload: RoleIn):
    user = request.auth
    if not permissions.can_declare_roles(user):
        raise PermissionDenied
    program = get_object_or_404(Program, slug=payload.program_slug) if payload.program_slug else None
    mentee = get_object_or_404(User, pk=payload.mentee_id) if payload.mentee_id else None
    role = services.evaluating_role_declare(by=user, role=payload.role, program=program, mentee=mentee,
                                            note=payload.note)
    return 201, _role_out(role)


@router.delete("/roles/{role_id}", response={204: None}, summary="Remove one of my evaluating roles")
def roles_delete(request, role_id: int):
    if not services.evaluating_role_remove(by=request.auth, role_id=role_id):
        raise HttpError(404, "No such role of yours.")
    return 204, None


def _may_check(user, mentor_id: int, mentee_id: int) -> bool:
    if user.pk in {mentor_id, mentee_id}:
        return True
    roles = user_roles(user=user)
    if roles.is_admin:
        return True
    return Membership.objects.filter(
        user_id=mentee_id, program_id__in=roles.coordinated_program_ids, academic_year=current_academic_year()
    ).exists()


@router.get("/check", response=CheckOut, summary="Would this mentor also evaluate this mentee?")
def check(request, mentor_id: int, mentee_id: int):
    if not _may_check(request.auth, mentor_id, mentee_id):
        raise PermissionDenied
    conflicts = selectors.conflicts_between(mentor_id, mentee_id)
    return {"mentor_id": mentor_id, "mentee_id": mentee_id, "forbidden": any(c.forbidden for c in conflicts),
            "conflicts": [{"role": c.role, "role_label": c.role_label, "scope": c.scope,
                           "program_name": c.program_name, "text": c.text, "forbidden": c.forbidden}
                          for c in conflicts]}


@router.put("/programs/{slug}/policy", response=PolicyOut, summary="Set a program's conflict policy")
def policy_set(request, slug: str, payload: PolicyIn):
    program = get_object_or_404(Program, slug=slug)
    if not permissions.can_set_policy(request.auth, program):
        raise PermissionDenied
    policy = services.conflict_policy_set(program=program, forbid_evaluator_pairs=payload.forbid_evaluator_pairs,
                                          coordinator_may_override=payload.coordinator_may_override, by=request.auth)
    return {"program_slug": program.slug, "forbid_evaluator_pairs": policy.forbid_evaluator_pairs,
            "coordinator_may_override": policy.coordinator_may_override}
