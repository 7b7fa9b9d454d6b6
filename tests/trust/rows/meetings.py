"""The mentorship lifecycle: relationship hub, agreement, meetings, calendar, feedback (resources: resources.py)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.trust.matrix import Row


def _rel(c):
    from mentora.relationships.models import Relationship

    return Relationship.objects.get(mentee=c.mentee_a, mentor=c.mentor_a)


def _soon(days=3):
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


def _meeting(c):
    from mentora.meetings import services

    return services.meeting_schedule(relationship=_rel(c), by=c.mentor_a, starts_at=_soon(), time_zone="UTC",
                                     notify_other=False)


def _homework(c):
    from mentora.meetings import services

    return services.homework_add(meeting=_meeting(c), by=c.mentee_a, text="Read")


def _proposal(c):
    from mentora.meetings import services

    return services.proposal_create(relationship=_rel(c), by=c.mentee_a, times=[_soon(2), _soon(3)],
                                    time_zone="UTC")


def _agenda_item(c):
    from mentora.meetings import services

    return services.agenda_item_add(meeting=_meeting(c), by=c.mentee_a, text="Boards timeline").pk


def _shared_note(c):
    from mentora.meetings import services

    return services.shared_note_add(meeting=_meeting(c), by=c.mentee_a, body="We agreed").pk


def _private_note(c):
    from mentora.meetings import services

    return services.private_note_add(meeting=_meeting(c), by=c.mentee_a, body="Mine alone").pk


def _action_item(c):
    from mentora.meetings import services

    return services.action_item_add(relationship=_rel(c), by=c.mentee_a, text="Draft CV", owner_id=c.mentee_a.pk,
                                    due_on=timezone.localdate() + datetime.timedelta(days=4)).pk


def _day(days=4):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


REL = lambda c: _rel(c).pk  # noqa: E731

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("meetings:my_mentoring", lambda c: reverse("meetings:my_mentoring"),
        "login 200   200   200   200   200   200   200   200"),
    Row("meetings:relationship_detail", lambda c: reverse("meetings:relationship_detail", args=[REL(c)]),
        "login 200   403   200   403   200   403   403   200"),
    Row("meetings:relationship_agreement", lambda c: reverse("meetings:relationship_agreement", args=[REL(c)]),
        "login 200   403   200   403   403   403   403   403"),
    Row("meetings:relationship_agreement", lambda c: reverse("meetings:relationship_agreement", args=[REL(c)]), method="POST",
        data={"kind": "career", "goals": "Match", "cadence_days": "30", "modes": "video"},
        expect="login 302   403   302   403   403   403   403   403"),
    Row("meetings:meeting_create", lambda c: reverse("meetings:meeting_create", args=[REL(c)]), method="POST",
        data=lambda c: {"meet-day": _day(), "meet-at": "10:00", "meet-time_zone": "Europe/London",
                        "meet-duration_minutes": "30", "meet-mode": "video"},
        expect="login 302   403   302   403   403   403   403   403"),
    Row("meetings:proposal_create", lambda c: reverse("meetings:proposal_create", args=[REL(c)]), method="POST",
        data=lambda c: {"propose-day_1": _day(4), "propose-at_1": "10:00", "propose-day_2": _day(5),
                        "propose-at_2": "11:00", "propose-time_zone": "Europe/London", "propose-duration_minutes": "30",
                        "propose-mode": "video"},
        expect="login 302   403   302   403   403   403   403   403"),
    Row("meetings:message_send", lambda c: reverse("meetings:message_send", args=[REL(c)]), method="POST", data={"body": "hi"},
        expect="login 302   403   302   403   403   403   403   403"),
    Row("meetings:action_item_create", lambda c: reverse("meetings:action_item_create", args=[REL(c)]), method="POST",
        data=lambda c: {"text": "Do", "owner_id": c.mentee_a.pk, "due_on": _day()},
        expect="login 302   403   302   403   403   403   403   403"),
    Row("meetings:relationship_survey", lambda c: reverse("meetings:relationship_survey", args=[REL(c)]),
        "login 200   403   200   403   403   403   403   403"),
    Row("meetings:relationship_change", lambda c: reverse("meetings:relationship_change", args=[REL(c), "rematch"]),
        "login 200   403   200   403   403   403   403   403"),
    Row("meetings:proposal_answer", lambda c: reverse("meetings:proposal_answer", args=[_proposal(c).pk]), method="POST",
        data={"time_id": "0"}, expect="login 302   403   302   403   403   403   403   403"),
    Row("meetings:meeting_detail", lambda c: reverse("meetings:meeting_detail", args=[_meeting(c).pk]),
        "login 200   403   200   403   403   403   403   403"),
    Row("meetings:meeting_ics", lambda c: reverse("meetings:meeting_ics", args=[_meeting(c).pk]),
        "login 200   403   200   403   403   403   403   403"),
    Row("meetings:meeting_action", lambda c: reverse("meetings:meeting_action", args=[_meeting(c).pk, "agenda"]), method="POST",
        data={"agenda-text": "x"}, expect="login 302   403   302   403   403   403   403   403"),
    Row("meetings:toggle_done", lambda c: reverse("meetings:toggle_done", args=["homework", _homework(c).pk]), method="POST",
        data={"done": "1"}, expect="login 302   403   302   403   403   403   403   403"),
    Row("meetings:calendar_settings", lambda c: reverse("meetings:calendar_settings"),
        "login 200   200   200   200   200   200   200   200"),
    Row("meetings:calendar_settings", lambda c: reverse("meetings:calendar_settings"), method="POST", data={"action": "enable"},
        expect="login 302   302   302   302   302   302   302   302"),
    Row("meetings:calendar_feed", lambda c: reverse("meetings:calendar_feed", args=[__import__(
        "mentora.meetings.services", fromlist=["x"]).calendar_feed_enable(by=c.mentee_a).token]),
        "200   200   200   200   200   200   200   200   200", note="the secret URL is the credential"),
    Row("meetings:program_feedback", lambda c: reverse("meetings:program_feedback", args=[c.program.pk]),
        "login 403   403   403   403   200   403   200   200"),
    Row("meetings:program_survey_edit", lambda c: reverse("meetings:program_survey_edit", args=[c.program.pk]),
        "login 403   403   403   403   200   403   403   200"),
    Row("meetings:program_survey_edit", lambda c: reverse("meetings:program_survey_edit", args=[c.program.pk]), method="POST",
        data={"questions": "Is your mentor available?", "every_months": "6"},
        expect="login 403   403   403   403   302   403   403   302"),
    Row("meetings:program_health", lambda c: reverse("meetings:program_health", args=[c.program.pk]),
        probe=lambda c: "Open the rematch queue", note="the network's coordinators see the counts only",
        expect="login 403   403   403   403   200+  403   200-  200+"),
    Row("meetings:program_health", lambda c: reverse("meetings:program_health", args=[c.other_program.pk]),
        note="a program outside the network", expect="login 403   403   403   403   403   200   403   200"),
    Row("meetings:program_health", lambda c: reverse("meetings:program_health", args=[c.program.pk]), method="POST",
        data=lambda c: {"action": "nudge", "shown": [REL(c)], "picked": [REL(c)]}, note="nudge the ticked",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("meetings:program_feedback", lambda c: reverse("meetings:program_feedback", args=[c.program.pk]), method="POST",
        data=lambda c: {"action": "remind", "shown": [REL(c)], "picked": [REL(c)]},
        note="remind: the cast's program has fewer than five relationships, so no follow-up list for anyone",
        expect="login 403   403   403   403   403   403   403   403"),
    Row("GET /api/mentoring/relationships/{relationship_id}",
        lambda c: f"/api/mentoring/relationships/{REL(c)}",
        "401   200   404   200   404   200   404   404   200"),
    Row("GET /api/mentoring/relationships/{relationship_id}/meetings",
        lambda c: f"/api/mentoring/relationships/{REL(c)}/meetings",
        "401   200   404   200   404   200   404   404   200"),
    Row("POST /api/mentoring/relationships/{relationship_id}/meetings",
        lambda c: f"/api/mentoring/relationships/{REL(c)}/meetings", method="POST",
        data=lambda c: {"starts_at": _soon(5).isoformat(), "time_zone": "UTC"},
        expect="401   201   404   201   404   403   404   404   403"),
    Row("GET /api/mentoring/meetings/{meeting_id}", lambda c: f"/api/mentoring/meetings/{_meeting(c).pk}",
        "401   200   404   200   404   404   404   404   404"),
    # Corrections: the author alone edits or deletes; a private note does not exist for anyone else.
    Row("meetings:meeting_item_edit", lambda c: reverse("meetings:meeting_item_edit", args=["agenda", _agenda_item(c)]),
        "login 200   403   403   403   403   403   403   403"),
    Row("meetings:meeting_item_edit", lambda c: reverse("meetings:meeting_item_edit", args=["note", _shared_note(c)]),
        method="POST", data={"body": "We agreed on two"},
        expect="login 302   403   403   403   403   403   403   403"),
    Row("meetings:meeting_item_edit", lambda c: reverse("meetings:meeting_item_edit", args=["private-note", _private_note(c)]),
        "login 200   404   404   404   404   404   404   404", note="private note"),
    Row("meetings:meeting_item_delete", lambda c: reverse("meetings:meeting_item_delete", args=["action-item", _action_item(c)]),
        method="POST", expect="login 302   403   403   403   403   403   403   403"),
    Row("PATCH /api/mentoring/agenda-items/{item_id}", lambda c: f"/api/mentoring/agenda-items/{_agenda_item(c)}",
        method="PATCH", data={"text": "Step 3 timeline"},
        expect="401   200   404   403   404   404   404   404   404"),
    Row("DELETE /api/mentoring/agenda-items/{item_id}", lambda c: f"/api/mentoring/agenda-items/{_agenda_item(c)}",
        method="DELETE", expect="401   204   404   403   404   404   404   404   404"),
    Row("PATCH /api/mentoring/shared-notes/{note_id}", lambda c: f"/api/mentoring/shared-notes/{_shared_note(c)}",
        method="PATCH", data={"body": "We agreed on two"},
        expect="401   200   404   403   404   404   404   404   404"),
    Row("DELETE /api/mentoring/shared-notes/{note_id}", lambda c: f"/api/mentoring/shared-notes/{_shared_note(c)}",
        method="DELETE", expect="401   204   404   403   404   404   404   404   404"),
    Row("PATCH /api/mentoring/action-items/{item_id}", lambda c: f"/api/mentoring/action-items/{_action_item(c)}",
        method="PATCH", data={"text": "Draft the CV"},
        expect="401   200   404   403   404   404   404   404   404"),
    Row("DELETE /api/mentoring/action-items/{item_id}", lambda c: f"/api/mentoring/action-items/{_action_item(c)}",
        method="DELETE", expect="401   204   404   403   404   404   404   404   404"),
    Row("GET /api/mentoring/meetings/{meeting_id}/changes",
        lambda c: f"/api/mentoring/meetings/{_meeting(c).pk}/changes",
        "401   200   404   200   404   404   404   404   404"),
    Row("meetings:my_mentees", lambda c: reverse("meetings:my_mentees"),
        "login 403   403   200   200   403   403   403   403"),
]


def _agreed(c):
    from mentora.meetings import services

    services.agreement_save(relationship=_rel(c), by=c.mentor_a, kind="career", goals="Match", cadence_days=30,
                            modes=["video"])
    return REL(c)


def _past_meeting(c):
    from mentora.meetings.models import Meeting

    return Meeting.objects.create(relationship=_rel(c), starts_at=timezone.now() - datetime.timedelta(hours=3))


def _mentors_action_item(c):
    from mentora.meetings import services

    return services.action_item_add(relationship=_rel(c), by=c.mentor_a, text="Draft the abstract",
                                    owner_id=c.mentee_a.pk, due_on=timezone.localdate() + datetime.timedelta(days=9))


def _notice(c):
    from mentora.notifications.services import notify

    return notify(user=c.mentee_a, kind="request_answered", key="matrix:notice", title="A notice for mentee A")


API = "/api/mentoring"
ROWS += [
    Row("GET /api/mentoring/relationships", lambda c: f"{API}/relationships", probe=lambda c: f'"id": {REL(c)}',
        note="each sees their own relationships",
        expect="401   200+  200-  200+  200-  200-  200-  200-  200-"),
    Row("GET /api/mentoring/relationships", lambda c: f"{API}/relationships?person_id={c.mentee_a.pk}",
        probe=lambda c: f'"id": {REL(c)}', note="another person's: only in programs one coordinates",
        expect="401   200+  200-  200-  200-  200+  200-  200-  200+"),
    Row("GET /api/mentoring/relationships/{relationship_id}/agreement",
        lambda c: f"{API}/relationships/{_agreed(c)}/agreement",
        "401   200   404   200   404   404   404   404   404"),
    Row("PUT /api/mentoring/relationships/{relationship_id}/agreement",
        lambda c: f"{API}/relationships/{REL(c)}/agreement",
        data={"kind": "career", "goals": "Match", "cadence_days": 30, "modes": ["video"]},
        expect="401   200   404   200   404   403   404   404   403"),
    Row("POST /api/mentoring/relationships/{relationship_id}/agreement/confirm",
        lambda c: f"{API}/relationships/{_agreed(c)}/agreement/confirm",
        expect="401   200   404   200   404   403   404   404   403"),
    Row("POST /api/mentoring/relationships/{relationship_id}/pause", lambda c: f"{API}/relationships/{REL(c)}/pause",
        expect="401   200   404   200   404   403   404   404   403"),
    Row("POST /api/mentoring/relationships/{relationship_id}/close", lambda c: f"{API}/relationships/{REL(c)}/close",
        data={"reason": "Goals reached"}, expect="401   200   404   200   404   403   404   404   403"),
    Row("POST /api/mentoring/relationships/{relationship_id}/rematch",
        lambda c: f"{API}/relationships/{REL(c)}/rematch", data={"reason": "Different field"},
        expect="401   201   404   201   404   403   404   404   403"),
    Row("POST /api/mentoring/relationships/{relationship_id}/feedback",
        lambda c: f"{API}/relationships/{REL(c)}/feedback", data=lambda c: {"ratings": {_question(c): 6}},
        expect="401   201   404   201   404   403   404   404   403"),
    Row("POST /api/mentoring/meetings/{meeting_id}/agenda", lambda c: f"{API}/meetings/{_meeting(c).pk}/agenda",
        data={"text": "Abstract deadline"}, expect="401   201   404   201   404   404   404   404   404"),
    Row("POST /api/mentoring/meetings/{meeting_id}/notes", lambda c: f"{API}/meetings/{_meeting(c).pk}/notes",
        data={"body": "We agreed on the outline"}, expect="401   201   404   201   404   404   404   404   404"),
    Row("POST /api/mentoring/meetings/{meeting_id}/status", lambda c: f"{API}/meetings/{_past_meeting(c).pk}/status",
        data={"status": "held"}, expect="401   200   404   200   404   404   404   404   404"),
    Row("POST /api/mentoring/meetings/{meeting_id}/rsvp", lambda c: f"{API}/meetings/{_meeting(c).pk}/rsvp",
        data={"response": "yes"}, expect="401   200   404   200   404   404   404   404   404"),
    Row("POST /api/mentoring/relationships/{relationship_id}/action-items",
        lambda c: f"{API}/relationships/{REL(c)}/action-items",
        data=lambda c: {"text": "Draft the abstract", "owner_id": c.mentee_a.pk, "due_on": _day(9)},
        expect="401   201   404   201   404   403   404   404   403"),
    Row("POST /api/mentoring/action-items/{item_id}/done", lambda c: f"{API}/action-items/{_mentors_action_item(c).pk}/done",
        data={"done": True}, expect="401   200   404   200   404   404   404   404   404"),
    Row("POST /api/mentoring/relationships/{relationship_id}/proposals",
        lambda c: f"{API}/relationships/{REL(c)}/proposals",
        data=lambda c: {"times": [_soon(4).isoformat(), _soon(5).isoformat()], "time_zone": "UTC"},
        expect="401   201   404   201   404   403   404   404   403"),
    Row("POST /api/mentoring/proposals/{proposal_id}/accept",
        lambda c: f"{API}/proposals/{_proposal(c).pk}/accept",
        data=lambda c: {"time_id": _proposal_time(c)}, note="the other side picks one of the times proposed",
        expect="401   422   404   201   404   404   404   404   404"),
    Row("POST /api/mentoring/proposals/{proposal_id}/withdraw",
        lambda c: f"{API}/proposals/{_proposal(c).pk}/withdraw", note="only who proposed withdraws",
        expect="401   200   404   403   404   404   404   404   404"),
    Row("GET /api/mentoring/relationships/{relationship_id}/messages",
        lambda c: f"{API}/relationships/{REL(c)}/messages",
        "401   200   404   200   404   404   404   404   404"),
    Row("POST /api/mentoring/relationships/{relationship_id}/messages",
        lambda c: f"{API}/relationships/{REL(c)}/messages", data={"body": "See you Tuesday"},
        expect="401   201   404   201   404   403   404   404   403"),
    Row("GET /api/mentoring/calendar-feed", lambda c: f"{API}/calendar-feed",
        "401   200   200   200   200   200   200   200   200"),
    Row("POST /api/mentoring/calendar-feed", lambda c: f"{API}/calendar-feed",
        "401   200   200   200   200   200   200   200   200"),
    Row("DELETE /api/mentoring/calendar-feed", lambda c: f"{API}/calendar-feed",
        "401   200   200   200   200   200   200   200   200"),
    Row("GET /api/notifications", lambda c: (_notice(c), "/api/notifications")[1],
        probe=lambda c: "A notice for mentee A", note="each sees only their own",
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("POST /api/notifications/read-all", lambda c: (_notice(c), "/api/notifications/read-all")[1],
        probe=lambda c: '"marked_read": 1', note="marks only one's own",
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("POST /api/notifications/{notification_id}/read", lambda c: f"/api/notifications/{_notice(c).pk}/read",
        probe=lambda c: '"marked_read": 1', note="nobody marks another's notice",
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("GET /api/notifications/preferences", lambda c: "/api/notifications/preferences",
        "401   200   200   200   200   200   200   200   200"),
    Row("PUT /api/notifications/preferences", lambda c: "/api/notifications/preferences",
        data={"deliveries": {"request_answered": "digest"}},
        expect="401   200   200   200   200   200   200   200   200"),
]


def _proposal_time(c):
    from mentora.meetings.models import ProposedTime

    return ProposedTime.objects.filter(proposal__relationship=_rel(c)).order_by("pk").values_list("pk", flat=True).last()


def _question(c) -> str:
    from mentora.meetings.selectors import survey_questions

    return survey_questions(program_id=c.program.pk)[0]["key"]
