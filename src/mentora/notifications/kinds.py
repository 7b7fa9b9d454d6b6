"""The kinds of notice Mentora sends; each domain adds its own here so preferences list them all."""

KINDS: dict[str, str] = {
    "request_received": "A mentee asks you to mentor them",
    "request_answered": "A mentor answers your request",
    "request_expiring": "A request is about to expire",
    "referral": "Referral requests and proposals",
    "match_published": "A batch match introduces you to a mentor or mentee",
    "relationship": "Your mentorship starts, pauses, resumes or closes",
    "agreement": "The terms of a mentorship are proposed, changed or confirmed",
    "meeting_upcoming": "An upcoming meeting",
    "meeting_scheduled": "Meetings scheduled, moved or proposed; homework",
    "cadence_slipping": "Meetings are further apart than agreed",
    "action_item_assigned": "An action item is assigned to you",
    "action_item_overdue": "An action item is overdue",
    "message": "A message in a mentoring relationship",
    "ilp_review_due": "A learning plan is submitted for sign-off, or its review is due",
    "ilp_changes_requested": "Changes asked for on a goal, and the goal revised",
    "ilp_signed_off": "A learning plan is signed off",
    "ilp_reopened": "A signed-off learning plan reopens after a change",
    "goal_comment": "A comment on a goal of a learning plan",
    "milestone_due": "An IMG milestone is coming up",
    "privacy": "Changes to your data and privacy",
    "invitation": "An invitation to join a program on Mentora",
    "webhooks": "A webhook subscription you manage is switched off after failed deliveries",
}

# Not a choice of its own: the daily email that carries the notices a person wants as a digest.
DIGEST_KIND = "digest"
