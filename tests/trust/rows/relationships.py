"""Coordinators' actions on relationships: pause, resume, close, reassign, pair by hand."""

from django.urls import reverse

from tests.trust.matrix import Row


def _rel(c):
    from mentora.relationships.models import Relationship

    return Relationship.objects.get(mentee=c.mentee_a, mentor=c.mentor_a).pk


def _manage(action):
    return lambda c: reverse("relationships:relationship_manage", args=[_rel(c), action])


def _closed(c):
    from tests.factories import RelationshipFactory

    closed = RelationshipFactory(mentee=c.mentee_a, mentor=c.mentor_a, program=c.program, kind="research",
                                 status="closed", closing_reason="Goals met")
    return reverse("relationships:relationship_manage", args=[closed.pk, "resume"])


def _new_mentor(c):
    from tests.factories import MembershipFactory, MentorOfferFactory

    mentor = MembershipFactory(program=c.program, role="mentor", training_level="faculty").user
    MentorOfferFactory(user=mentor)
    return {"mentor": str(mentor.pk), "reason": "A closer fit for her research"}


def _rematch_request(c):
    from mentora.meetings.models import RematchRequest
    from mentora.relationships.models import Relationship

    relationship = Relationship.objects.get(mentee=c.mentee_a, mentor=c.mentor_a)
    item = RematchRequest.objects.create(relationship=relationship, requested_by=c.mentee_a, reason="SECRET-REASON")
    return {"action": "handle", "request_id": str(item.pk)}


def _queue_with_request(c):
    _rematch_request(c)
    return reverse("meetings:rematch_queue", args=[c.program.pk])


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("relationships:relationship_manage", _manage("pause"), note="pause form",
        expect="login 200   403   200   403   200   403   403   200"),
    Row("relationships:relationship_manage", _manage("pause"), method="POST", data={"reason": "Parental leave"}, note="pause",
        expect="login 302   403   302   403   302   403   403   302"),
    Row("relationships:relationship_manage", _manage("close"), method="POST", data={"reason": "The mentor moves abroad"},
        note="close", expect="login 302   403   302   403   302   403   403   302"),
    Row("relationships:relationship_manage", _closed, note="a closed relationship stays closed",
        expect="login 403   403   403   403   403   403   403   403"),
    Row("relationships:relationship_manage", _manage("reassign"), note="reassign form: coordinators only",
        expect="login 403   403   403   403   200   403   403   200"),
    Row("relationships:relationship_manage", _manage("reassign"), method="POST", data=_new_mentor, note="reassign",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("relationships:relationship_pair", lambda c: reverse("relationships:relationship_pair", args=[c.program.pk]),
        "login 403   403   403   403   200   403   403   200"),
    Row("relationships:relationship_pair", lambda c: reverse("relationships:relationship_pair", args=[c.program.pk]), method="POST",
        data=lambda c: {"mentee": str(c.mentee_b.pk), "mentor": str(c.mentor_a.pk), "kind": "research",
                        "reason": "Both work on heart failure"},
        expect="login 403   403   403   403   302   403   403   302"),
    Row("meetings:rematch_queue", _queue_with_request, probe=lambda c: "SECRET-REASON",
        expect="login 403   403   403   403   200+  403   403   200+"),
    Row("meetings:rematch_queue", lambda c: reverse("meetings:rematch_queue", args=[c.program.pk]), method="POST",
        data=_rematch_request, note="mark a request handled",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("meetings:rematch_queue", lambda c: reverse("meetings:rematch_queue", args=[c.program.pk]), method="POST",
        data=lambda c: {"action": "nudge", "relationship": str(_rel(c))}, note="nudge",
        expect="login 403   403   403   403   302   403   403   302"),
]
