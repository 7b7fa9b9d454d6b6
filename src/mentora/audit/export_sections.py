"""Audit data in a person's copy: who looked at their confidential records, and why.

Confidential notes (concerns, remediation) are written by coordinators ABOUT a person and stay
with their authors: like other people's private notes they are not in the person's copy, and the
history tables only repeat rows that are exported in their current form elsewhere.
"""

from mentora.core.export_registry import EXEMPT, person_section, rows

from .models import AccessLog

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
