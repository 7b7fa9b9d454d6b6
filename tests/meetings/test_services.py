import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentora.meetings import services
from mentora.meetings.models import Agreement, Meeting, ProposedTime, Rsvp, TimeProposal
from mentora.notifications.models import Notification
from mentora.relationships import services as relationship_services
from mentora.relationships.models import Relationship
from tests.factories import RelationshipFactory

from .conftest import future

TERMS = {"kind": "research", "goals": "Publish a first case report", "cadence_days": 30, "modes": ["video"],
         "expectations": "Come prepared", "confidentiality": "Between us"}


def test_both_sides_confirm_and_that_activates_a_proposed_relationship(cast):
    rel = RelationshipFactory(mentee=cast["mentee_b"], mentor=cast["mentor_a"], program=cast["program"],
                              status="proposed")
    agreement = services.agreement_save(relationship=rel, by=cast["mentor_a"], **TERMS)
    assert agreement.mentor_confirmed_at and not agreement.mentee_confirmed_at
    rel.refresh_from_db()
    assert rel.status == "proposed"
    assert Notification.objects.filter(user=cast["mentee_b"], kind="agreement").exists()
    services.agreement_confirm(agreement=agreement, by=cast["mentee_b"])
    rel.refresh_from_db()
    assert rel.status == "active" and rel.started_on == timezone.localdate()


def test_changing_the_terms_asks_the_other_side_again(rel, cast):
    agreement = services.agreement_save(relationship=rel, by=cast["mentor_a"], **TERMS)
    services.agreement_confirm(agreement=agreement, by=cast["mentee_a"])
    agreement.refresh_from_db()
    assert agreement.is_confirmed
    services.agreement_save(relationship=rel, by=cast["mentee_a"], **{**TERMS, "cadence_days": 14})
    agreement.refresh_from_db()
    assert agreement.mentee_confirmed_at and agreement.mentor_confirmed_at is None
    # saving the same terms again changes nothing for the other side
    services.agreement_save(relationship=rel, by=cast["mentee_a"], **{**TERMS, "cadence_days": 14})
    agreement.refresh_from_db()
    assert agreement.mentor_confirmed_at is None


@pytest.mark.parametrize("bad", [{"goals": " "}, {"cadence_days": 31}, {"modes": ["telepathy"]}, {"kind": "boss"},
                                 {"expected_end_on": datetime.date(2000, 1, 1)}])
def test_bad_agreement_terms_are_refused_without_writing(rel, cast, bad):
    with pytest.raises(ValidationError) as error:
        services.agreement_save(relationship=rel, by=cast["mentor_a"], **{**TERMS, **bad})
    assert set(error.value.message_dict) == set(bad)
    assert not Agreement.objects.exists()


def test_only_the_two_sides_write(rel, cast):
    for outsider in ("mentee_b", "other_mentor", "coordinator", "admin"):
        with pytest.raises(PermissionDenied):
            services.agreement_save(relationship=rel, by=cast[outsider], **TERMS)
        with pytest.raises(PermissionDenied):
            services.meeting_schedule(relationship=rel, by=cast[outsider], starts_at=future(), time_zone="UTC")


def test_first_meeting_gets_the_draft_agenda_and_later_ones_do_not(rel, cast):
    first = services.meeting_schedule(relationship=rel, by=cast["mentee_a"], starts_at=future(), time_zone="UTC")
    second = services.meeting_schedule(relationship=rel, by=cast["mentee_a"], starts_at=future(10), time_zone="UTC")
    assert first.agenda_items.count() == 5 and second.agenda_items.count() == 0
    assert Rsvp.objects.get(meeting=first, user=cast["mentee_a"]).response == "yes"


@pytest.mark.parametrize("kwargs,field", [
    ({"starts_at": timezone.now() - datetime.timedelta(days=1)}, "starts_at"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"duration_minutes": 2}, "duration_minutes"),
    ({"mode": "in_person", "place": ""}, "place"),
])
def test_bad_meetings_are_refused(rel, cast, kwargs, field):
    base = {"starts_at": future(), "time_zone": "UTC", "mode": "video"}
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(relationship=rel, by=cast["mentor_a"], **{**base, **kwargs})
    assert field in error.value.message_dict
    assert not Meeting.objects.exists()


def test_held_only_once_started_and_reschedule_moves_the_agenda(rel, cast, meeting):
    with pytest.raises(ValidationError):
        services.meeting_set_status(meeting=meeting, by=cast["mentee_a"], status="held")
    services.homework_add(meeting=meeting, by=cast["mentor_a"], text="Read two case reports")
    new = services.meeting_reschedule(meeting=meeting, by=cast["mentee_a"], starts_at=future(5),
                                      time_zone="Europe/London")
    meeting.refresh_from_db()
    assert meeting.status == "rescheduled" and meeting.rescheduled_to == new and meeting.sequence == 1
    assert new.agenda_items.count() == 5 and new.homework.count() == 1
    Meeting.objects.filter(pk=new.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    held = services.meeting_set_status(meeting=new, by=cast["mentee_a"], status="held")
    assert held.status == "held"


def test_action_item_owner_must_be_one_of_the_two(rel, cast):
    with pytest.raises(ValidationError):
        services.action_item_add(relationship=rel, by=cast["mentor_a"], text="x", owner_id=cast["mentee_b"].pk,
                                 due_on=timezone.localdate())
    item = services.action_item_add(relationship=rel, by=cast["mentor_a"], text="Draft abstract",
                                    owner_id=cast["mentee_a"].pk, due_on=timezone.localdate())
    assert item.owner == cast["mentee_a"]


def test_scheduling_together_propose_pick_and_counter(rel, cast):
    mentee, mentor = cast["mentee_a"], cast["mentor_a"]
    with pytest.raises(ValidationError):
        services.proposal_create(relationship=rel, by=mentee, times=[future(2)], time_zone="UTC")
    with pytest.raises(ValidationError):
        services.proposal_create(relationship=rel, by=mentee, times=[future(d) for d in (2, 3, 4, 5)],
                                 time_zone="UTC")
    first = services.proposal_create(relationship=rel, by=mentee, times=[future(2), future(3)], time_zone="UTC")
    # the mentor proposes other times instead: the first proposal is answered by the second
    second = services.proposal_create(relationship=rel, by=mentor, times=[future(4), future(5), future(6)],
                                      time_zone="Asia/Kolkata")
    first.refresh_from_db()
    assert first.status == "superseded" and second.times.count() == 3
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=second, by=mentor, time_id=second.times.first().pk)
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=second, by=mentee, time_id=first.times.first().pk)
    chosen = second.times.order_by("starts_at")[1]
    meeting = services.proposal_accept(proposal=second, by=mentee, time_id=chosen.pk)
    assert meeting.starts_at == chosen.starts_at and meeting.time_zone == "Asia/Kolkata"
    assert set(Rsvp.objects.filter(meeting=meeting).values_list("user_id", flat=True)) == {mentee.pk, mentor.pk}
    second.refresh_from_db()
    assert second.status == "accepted"
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=second, by=mentee, time_id=chosen.pk)
    assert TimeProposal.objects.filter(status="open").count() == 0 and ProposedTime.objects.count() == 5


def test_messages_notify_the_other_side_once(rel, cast):
    message = services.message_send(relationship=rel, by=cast["mentee_a"], body="Can we meet next week?")
    notice = Notification.objects.get(user=cast["mentor_a"], kind="message")
    assert notice.key == f"message:{message.pk}" and "next week" in notice.body
    with pytest.raises(ValidationError):
        services.message_send(relationship=rel, by=cast["mentee_a"], body="   ")


def test_pause_recommit_close_and_rematch(rel, cast):
    services.agreement_save(relationship=rel, by=cast["mentor_a"], **TERMS)
    relationship_services.relationship_pause(relationship=rel, by=cast["mentee_a"])
    rel.refresh_from_db()
    assert rel.status == "paused"
    services.agreement_recommit(relationship=rel, by=cast["mentee_a"])
    rel.refresh_from_db()
    assert rel.status == "active" and rel.agreement.recommitted_at is not None
    request = services.rematch_request(relationship=rel, by=cast["mentee_a"], reason="Need a research mentor")
    assert Notification.objects.filter(user=cast["coordinator"], key=f"rematch:{request.pk}").exists()
    assert not Notification.objects.filter(user=cast["other_coordinator"]).exists()
    with pytest.raises(ValidationError):
        services.relationship_close_with_feedback(relationship=rel, by=cast["mentee_a"], reason="")
    services.relationship_close_with_feedback(relationship=rel, by=cast["mentee_a"], reason="Goals met",
                                ratings={"communication": 6, "fostering_independence": 7}, comment="Thank you")
    rel.refresh_from_db()
    assert rel.status == Relationship.Status.CLOSED and rel.closing_reason == "Goals met"
    assert rel.survey_responses.get().ratings == {"communication": 6, "fostering_independence": 7}
    with pytest.raises(PermissionDenied):
        services.message_send(relationship=rel, by=cast["mentee_a"], body="still there?")
