"""A program's coordinators act on relationships over the API, as on the relationship's page: pause,
resume, close and reassign with a reason, and pair two people by hand. The same services run, with
their own checks (conflicts of interest, free places, one open relationship per pair)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from mentora.programs.models import Program

from . import permissions, selectors, services
from .models import Relationship

User = get_user_model()

router = Router(tags=["relationships"])


class ManagedRelationshipOut(Schema):
    id: int
    mentee_id: int
    mentor_id: int
    program_id: int | None
    kind: str
    status: str = Field(description="proposed, active, paused or closed")
    started_on: datetime.date | None
    ended_on: datetime.date | None


class RelationshipReasonIn(Schema):
    reason: str = Field("", max_length=2000, description="Both sides read it (required to close)")


class ReassignIn(Schema):
    mentor_id: int = Field(description="The new mentor: a mentor of the relationship's program")
    reason: str = Field(max_length=2000, description="The mentee and both mentors read it")


class PairIn(Schema):
    program_id: int
    mentee_id: int = Field(description="A mentee of the program")
    mentor_id: int = Field(description="A mentor of the program")
    kind: str = Field(description="The kind of mentorship (career, research, …)")
    reason: str = Field(max_length=2000, description="Why you pair them; both of them read it")


def _managed(request, relationship_id: int) -> Relationship:
    relationship = get_object_or_404(Relationship.objects.select_related("mentee", "mentor", "program"),
                                     pk=relationship_id)
    if not permissions.can_view_relationship(request.auth, relationship):
        raise Http404  # like a missing relationship
    return relationship


def _person(queryset, person_id: int, field: str, what: str):
    person = queryset.filter(pk=person_id).first()
    if person is None:
        raise ValidationError({field: f"Choose {what} of the relationship's program."})
    return person


@router.post("", response={201: ManagedRelationshipOut}, url_name="relationship_pair",
             summary="Pair a mentee and a mentor of a program by hand (its coordinators)")
def relationship_pair(request, payload: PairIn):
    program = get_object_or_404(Program, pk=payload.program_id)
    if not permissions.can_start(request.auth, mentor=None, source=Relationship.Source.MANUAL, program=program):
        raise PermissionDenied("Only the program's coordinators pair people by hand.")
    mentee = _person(selectors.program_mentees(program=program), payload.mentee_id, "mentee", "a mentee")
    mentor = _person(selectors.program_mentors(program=program), payload.mentor_id, "mentor", "a mentor")
    return 201, services.relationship_pair(by=request.auth, program=program, mentee=mentee, mentor=mentor,
                                           kind=payload.kind, reason=payload.reason)


@router.post("/{relationship_id}/pause", response=ManagedRelationshipOut,
             summary="Pause a relationship (either side, or a coordinator of its program)")
def relationship_pause(request, relationship_id: int, payload: RelationshipReasonIn):
    return services.relationship_pause(relationship=_managed(request, relationship_id), by=request.auth,
                                       reason=payload.reason)


@router.post("/{relationship_id}/resume", response=ManagedRelationshipOut,
             summary="Resume a paused relationship (either side, or a coordinator of its program)")
def relationship_resume(request, relationship_id: int, payload: RelationshipReasonIn):
    return services.relationship_resume(relationship=_managed(request, relationship_id), by=request.auth,
                                        reason=payload.reason)


@router.post("/{relationship_id}/close", response=ManagedRelationshipOut,
             summary="Close a relationship with a reason (either side, or a coordinator of its program)")
def relationship_close(request, relationship_id: int, payload: RelationshipReasonIn):
    return services.relationship_close(relationship=_managed(request, relationship_id), by=request.auth,
                                       reason=payload.reason)


@router.post("/{relationship_id}/reassign", response={201: ManagedRelationshipOut},
             summary="Give the mentee another mentor: this one closes, a new one starts (coordinators)")
def relationship_reassign(request, relationship_id: int, payload: ReassignIn):
    relationship = _managed(request, relationship_id)
    if not permissions.can_reassign(request.auth, relationship):
        raise PermissionDenied("Only the coordinators of the relationship's program can reassign it")
    mentors = selectors.program_mentors(program=relationship.program) if relationship.program_id else User.objects.none()
    mentor = _person(mentors, payload.mentor_id, "mentor_id", "a mentor")
    return 201, services.relationship_reassign(relationship=relationship, by=request.auth, mentor=mentor,
                                               reason=payload.reason)
