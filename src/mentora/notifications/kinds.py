"""The kinds of notice Mentora sends; each domain adds its own here so preferences list them all."""

KINDS: dict[str, str] = {
    "request_received": "A mentee asks you to mentor them",
    "request_answered": "A mentor answers your request",
    "request_expiring": "A request is about to expire",
    "referral": "Referral requests and proposals",
    "match_published": "A batch match introduces you to a mentor or mentee",
    "meeting_upcoming": "An upcoming meeting",
    "meeting_scheduled": "Meetings scheduled, moved or proposed; agreements and homework",
    "cadence_slipping": "Meetings are further apart than agreed",
    "ilp_review_due": "An ILP review is due",
    "action_item_overdue": "An action item is overdue",
    "message": "A message in a mentoring relationship",
    "milestone_due": "An IMG milestone is coming up",
    "privacy": "Changes to your data and privacy",
    "invitation": "An invitation to join a program on Mentora",
}
