from django.db.models import Count, Q

from mentora.core.export_registry import person_section, program_section

from .models import Relationship, RelationshipEvent


def _relationship(r):
    return {
        "id": r.pk, "mentee": r.mentee.full_name, "mentee_id": r.mentee_id, "mentor": r.mentor.full_name,
        "mentor_id": r.mentor_id, "kind": r.kind, "status": r.status, "source": r.source,
        "program": r.program.name if r.program else None, "started_on": r.started_on, "ended_on": r.ended_on,
        "closing_reason": r.closing_reason, "created_at": r.created_at,
    }


@person_section("relationships", models=["relationships.Relationship"])
def relationships(user):
    return [_relationship(r) for r in Relationship.objects.filter(Q(mentee=user) | Q(mentor=user))
            .select_related("mentee", "mentor", "program").order_by("pk")]


@person_section("relationship_history", models=["relationships.RelationshipEvent"])
def relationship_history(user):
    """Who started, paused, resumed or closed the person's relationships, when and why."""
    events = RelationshipEvent.objects.filter(Q(relationship__mentee=user) | Q(relationship__mentor=user) | Q(by=user))
    return [{"relationship_id": e.relationship_id, "action": e.action, "by": e.by.full_name if e.by else None,
             "reason": e.reason, "at": e.created_at} for e in events.select_related("by").order_by("pk")]


@program_section("relationships", models=["relationships.Relationship"])
def program_relationships(program, academic_year):
    found = Relationship.objects.filter(program=program).select_related("mentee", "mentor", "program")
    return [{k: v for k, v in _relationship(r).items() if k != "closing_reason"} for r in found.order_by("pk")]


@program_section("relationship_counts")
def relationship_counts(program, academic_year):
    return {row["status"]: row["n"] for row in
            Relationship.objects.filter(program=program).values("status").annotate(n=Count("id"))}
