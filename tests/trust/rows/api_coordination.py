"""The API's coordinator operations on relationships and programs (pause, resume, close, reassign, pair;
rematch queue and nudges; health, attention, feedback, survey), a mentor's "my mentees", and a resource's
document. The same rules as their pages (relationships.py, meetings.py, resources.py)."""

from tests.trust.matrix import Row
from tests.trust.rows.resources import _resource


def _rel(c):
    from mentora.relationships.models import Relationship

    return Relationship.objects.get(mentee=c.mentee_a, mentor=c.mentor_a)


def _act(action, *, paused=False):
    def url(c):
        relationship = _rel(c)
        if paused:
            type(relationship).objects.filter(pk=relationship.pk).update(status="paused")
        return f"/api/relationships/{relationship.pk}/{action}"

    return url


def _new_mentor(c):
    from tests.factories import MembershipFactory, MentorOfferFactory

    mentor = MembershipFactory(program=c.program, role="mentor", training_level="faculty").user
    MentorOfferFactory(user=mentor)
    return {"mentor_id": mentor.pk, "reason": "A closer fit for her research"}


def _rematch_request(c):
    from mentora.meetings.models import RematchRequest

    return RematchRequest.objects.create(relationship=_rel(c), requested_by=c.mentee_a, reason="SECRET-REASON")


def _program(suffix):
    return lambda c: f"/api/mentoring/programs/{c.program.pk}/{suffix}"


def _lapsed(c):
    """A's relationship started long ago with no meeting since: it needs attention."""
    import datetime

    from django.utils import timezone

    relationship = _rel(c)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    type(relationship).objects.filter(pk=relationship.pk).update(started_on=long_ago.date(), created_at=long_ago)
    return f"/api/mentoring/programs/{c.program.pk}/attention"


def _five_relationships(suffix):
    """The program with five active relationships (the fewest whose survey follow-up is shown)."""
    def build(c):
        from tests.factories import RelationshipFactory, UserFactory

        for _ in range(4):
            RelationshipFactory(mentee=UserFactory(), mentor=c.mentor_a, program=c.program)
        return f"/api/mentoring/programs/{c.program.pk}/{suffix}"
    return build


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("GET /api/mentoring/programs/{program_id}/relationships", _program("relationships"),
        probe=lambda c: c.mentee_a.display_name,
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("GET /api/mentoring/programs/{program_id}/survey-follow-up", _five_relationships("survey-follow-up"),
        probe=lambda c: c.mentee_a.display_name,
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("GET /api/mentoring/programs/{program_id}/survey-follow-up", _program("survey-follow-up"),
        note="fewer than five relationships", expect="401   403   403   403   403   409   403   403   409"),
    Row("POST /api/mentoring/programs/{program_id}/survey-reminders", _five_relationships("survey-reminders"),
        data=lambda c: {"relationship_ids": [_rel(c).pk]},
        expect="401   403   403   403   403   200   403   403   200"),
    Row("POST /api/mentoring/programs/{program_id}/survey-reminders", _five_relationships("survey-reminders"),
        note="another program's", data=lambda c: {"relationship_ids": [_rel(c).pk + 10_000]},
        expect="401   403   403   403   403   422   403   403   422"),
    Row("POST /api/relationships", lambda c: "/api/relationships",
        data=lambda c: {"program_id": c.program.pk, "mentee_id": c.mentee_b.pk, "mentor_id": c.mentor_a.pk,
                        "kind": "research", "reason": "Both work on heart failure"},
        expect="401   403   403   403   403   201   403   403   201"),
    Row("POST /api/relationships", lambda c: "/api/relationships", note="someone outside the program",
        data=lambda c: {"program_id": c.program.pk, "mentee_id": c.mentee_b.pk, "mentor_id": c.other_mentor.pk,
                        "kind": "research", "reason": "Both work on heart failure"},
        expect="401   403   403   403   403   422   403   403   422"),
    Row("POST /api/relationships/{relationship_id}/pause", _act("pause"), data={"reason": "Parental leave"},
        expect="401   200   404   200   404   200   404   404   200"),
    Row("POST /api/relationships/{relationship_id}/resume", _act("resume", paused=True), data={"reason": "Back"},
        expect="401   200   404   200   404   200   404   404   200"),
    Row("POST /api/relationships/{relationship_id}/close", _act("close"), data={"reason": "The mentor moves abroad"},
        expect="401   200   404   200   404   200   404   404   200"),
    Row("POST /api/relationships/{relationship_id}/close", _act("close"), data={"reason": ""}, note="no reason",
        expect="401   422   404   422   404   422   404   404   422"),
    Row("POST /api/relationships/{relationship_id}/reassign", _act("reassign"), data=_new_mentor,
        expect="401   403   404   403   404   201   404   404   201"),
    Row("GET /api/mentoring/programs/{program_id}/rematch-requests",
        lambda c: (_rematch_request(c), _program("rematch-requests")(c))[1], probe=lambda c: "SECRET-REASON",
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("POST /api/mentoring/rematch-requests/{request_id}/handle",
        lambda c: f"/api/mentoring/rematch-requests/{_rematch_request(c).pk}/handle",
        expect="401   403   404   403   404   200   404   404   200"),
    Row("POST /api/mentoring/programs/{program_id}/nudges", _program("nudges"),
        data=lambda c: {"relationship_ids": [_rel(c).pk], "message": "How is it going?"},
        expect="401   403   403   403   403   200   403   403   200"),
    Row("POST /api/mentoring/programs/{program_id}/nudges", _program("nudges"), note="another program's",
        data=lambda c: {"relationship_ids": [_rel(c).pk + 10_000]},
        expect="401   403   403   403   403   422   403   403   422"),
    Row("GET /api/mentoring/programs/{program_id}/health", _program("health"),
        expect="401   403   403   403   403   200   403   403   200"),
    Row("GET /api/mentoring/programs/{program_id}/attention", _lapsed, probe=lambda c: c.mentee_a.display_name,
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("GET /api/mentoring/programs/{program_id}/feedback", _program("feedback"),
        expect="401   403   403   403   403   200   403   403   200"),
    Row("GET /api/mentoring/programs/{program_id}/survey", _program("survey"),
        expect="401   403   403   403   403   200   403   403   200"),
    Row("PUT /api/mentoring/programs/{program_id}/survey", _program("survey"),
        data={"questions": ["Is your mentor available?"], "every_months": 6},
        expect="401   403   403   403   403   200   403   403   200"),
    Row("PUT /api/mentoring/programs/{program_id}/survey", _program("survey"), note="no question",
        data={"questions": [], "every_months": 6},
        expect="401   403   403   403   403   422   403   403   422"),
    Row("GET /api/mentoring/my-mentees", lambda c: "/api/mentoring/my-mentees",
        probe=lambda c: c.mentee_a.display_name,
        expect="401   403   403   200+  200-  403   403   403   403"),
    Row("GET /api/mentoring/resources/{resource_id}/document",
        lambda c: f"/api/mentoring/resources/{_resource(c, 'program', document=True).pk}/document",
        note="program's", expect="401   200   200   200   403   200   403   403   200"),
    Row("GET /api/mentoring/resources/{resource_id}/document",
        lambda c: f"/api/mentoring/resources/{_resource(c, 'network', document=True).pk}/document",
        note="network's", expect="401   200   200   200   403   200   403   200   200"),
]
