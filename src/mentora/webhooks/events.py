"""The kinds of events a webhook subscription can ask for, and the payload every delivery carries.

A payload follows the Standard Webhooks shape: {"type", "timestamp", "data"}, plus "version" (the
payload version of docs/api.md: fields are added within a version, never removed or retyped).
"""

PAYLOAD_VERSION = 1

EVENT_KINDS: dict[str, str] = {
    "relationship.started": "A mentoring relationship became active",
    "relationship.closed": "A mentoring relationship was closed",
    "request.answered": "A mentor accepted or declined a mentee's request",
    "plan.submitted": "A mentee submitted their learning plan for review",
    "plan.signed_off": "A mentor signed off a learning plan",
    "meeting.held": "A meeting was marked as held",
    "import.committed": "A roster import was committed",
}


def person(user) -> dict:
    """How a payload names a person: their id in Mentora and their email (what other systems match on)."""
    return {"id": user.pk, "email": user.email}
