"""Audit data in a person's copy: who looked at their confidential records, and why.

Confidential notes (concerns, remediation) are written by coordinators ABOUT a person and stay
with their authors: like other people's private notes they are not in the person's copy, and the
history tables only repeat rows that are exported in their current form elsewhere.
"""

from django.db.models import Q

from mentora.core.export_registry import EXEMPT, person_section, rows
from mentora.meetings.models import ActionItem, AgendaItem, SharedNote

from .models import AccessLog, AdminAction

EXEMPT.update({
    "audit.ConfidentialNote": "coordinators' confidential notes about a person: other people's notes, never exported",
    "audit.HistoricalConfidentialNote": "the history of those confidential notes",
    "audit.HistoricalMembership": "change history of memberships, exported in their current form",
    "audit.HistoricalRelationship": "change history of relationships, exported in their current form",
    "audit.HistoricalLearningPlan": "change history of learning plans, exported in their current form",
    "audit.HistoricalGoal": "change history of goals, exported in their current form",
})


@person_section("record_accesses", models=["audit.AccessLog"])
def record_accesses(user):
    """Who looked at this person's confidential records, when, and the reason they gave."""
    return rows(AccessLog.objects.filter(subject=user), exclude=["subject_id"])


@person_section("admin_actions", models=["audit.AdminAction"])
def admin_actions(user):
    """What site admins did to this person's account (with the reason they gave), and what this person did as a
    site admin."""
    about = Q(target_type=user._meta.label_lower, target_id=str(user.pk))
    return rows(AdminAction.objects.filter(about | Q(actor=user)).order_by("created_at", "id"))


@person_section("meeting_item_changes", models=["audit.HistoricalAgendaItem", "audit.HistoricalSharedNote",
                                                "audit.HistoricalActionItem"])
def meeting_item_changes(user):
    """The edits and deletions this person made to agenda items, shared notes and action items, with the
    text before each (the other side of the relationship sees them on the meeting's page)."""
    fields = {AgendaItem: ["id", "meeting_id", "text"], SharedNote: ["id", "meeting_id", "body"],
              ActionItem: ["id", "relationship_id", "meeting_id", "text", "due_on"]}
    changes = []
    for model, names in fields.items():
        changes += [{"item": model._meta.verbose_name, **row} for row in rows(
            model.history.filter(history_user=user, history_type__in=["~", "-"]),
            fields=[*names, "history_type", "history_date"])]
    return changes
