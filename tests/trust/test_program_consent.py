"""Program membership needs the person's consent, and each program reads only what was written in it.

The attacks: a coordinator of program B imports the email of program A's resident, opens their
confidential records and A's wellbeing note, batch-matches them to a mentor of B who then signs off
A's learning plan; a coordinator of B reads A's plan and notes of a member both programs share; a
person who left B stays on B's timeline and people pages. Each test performs one and must be refused.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mentora.audit.models import ConfidentialNote
from mentora.core.academic_year import current_academic_year
from mentora.dataio.models import ImportBatch
from mentora.ilps import services as ilp_services
from mentora.notifications.models import Notification
from mentora.programs.models import Membership, MembershipInvitation
from mentora.relationships.models import Relationship
from tests.factories import (
    ImgDetailsFactory,
    MembershipFactory,
    MentorOfferFactory,
    SensitiveAttributesFactory,
    UserFactory,
)

WAIVER = "Conrad 30 waiver probe 7Q"
NOTE_A = "Wellbeing probe written in program A"
NOTE_B = "Wellbeing probe written in program B"
GOAL_A = "Present two case reports at the regional ACP meeting by 30 April"
REASON = "Preparing the cohort's wellbeing check-ins"


@pytest.fixture
def victim(cast):
    """Mentee A with confidential records, A's wellbeing note and a submitted learning plan in A."""
    a = cast["mentee_a"]
    SensitiveAttributesFactory(user=a, gender="non_binary", race_ethnicity="pacific_islander")
    ImgDetailsFactory(user=a, visa_status="j1", j1_waiver_plan=WAIVER)
    ConfidentialNote.objects.create(subject=a, author=cast["coordinator"], program=cast["program"], kind="wellbeing",
                                    text=NOTE_A)
    plan = ilp_services.plan_create(mentee=a, career_vision="Academic cardiologist")
    ilp_services.goal_create(plan=plan, by=a, data={
        "statement": GOAL_A, "measure": "Two posters presented", "domain": "research",
        "target_date": timezone.localdate() + datetime.timedelta(days=150),
    })
    ilp_services.plan_submit(plan=plan, by=a)
    cast["plan_a"] = plan
    return cast


def import_into(client, coordinator, program, rows: str, kind="mentees"):
    """The import page, as program B's coordinator uses it: upload, preview, commit."""
    client.force_login(coordinator)
    response = client.post("/data/import/", {
        "program": program.pk, "kind": kind, "academic_year": current_academic_year(),
        "file": SimpleUploadedFile("roster.csv", rows.encode()),
    })
    assert response.status_code == 302, response.content.decode()[:500]
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(response["Location"], {"action": "commit"})
    assert done.status_code == 302
    return ImportBatch.objects.get(program=program)


def open_records(client, viewer, person):
    client.force_login(viewer)
    return client.post(reverse("audit:confidential_records", args=[person.pk]), {"reason": REASON})


def test_importing_an_existing_email_asks_the_person_and_opens_nothing(client, victim):
    a, b, coordinator_b = victim["mentee_a"], victim["other_program"], victim["other_coordinator"]
    batch = import_into(client, coordinator_b, b, f"Email,Name,PGY\r\n{a.email},Anyone,PGY-2\r\n")
    assert not Membership.objects.filter(user=a, program=b).exists()
    invitation = MembershipInvitation.objects.get(user=a, program=b)
    assert (invitation.status, invitation.invited_by, invitation.import_batch) == ("pending", coordinator_b, batch)
    assert batch.summary["invite"] == 1

    response = open_records(client, coordinator_b, a)
    assert response.status_code == 403
    for text in (WAIVER, NOTE_A, "Pacific Islander"):
        assert text not in response.content.decode()
    assert client.get(reverse("profiles:profile_detail", args=[a.pk])).status_code == 403  # a mentee: not in the directory
    assert client.get(reverse("ilps:ilp_timeline", args=[a.pk])).status_code == 403
    assert client.get(reverse("ilps:ilp_detail", args=[victim["plan_a"].pk])).status_code == 403
    note = client.post(reverse("audit:confidential_note_create", args=[a.pk]), {"kind": "wellbeing", "text": "x"})
    assert note.status_code == 403

    # The coordinator sees the pending answer on the import result and on the program's people page.
    done = client.get(reverse("dataio:import_preview", args=[batch.pk])).content.decode()
    assert a.email in done and "Awaiting their answer" in done
    people = client.get(reverse("programs:program_people", args=[b.pk])).content.decode()
    assert a.email in people and "Awaiting their answer" in people
    assert reverse("profiles:profile_detail", args=[a.pk]) not in people

    # The person is told, and finds the invitation from their dashboard.
    notice = Notification.objects.get(user=a, kind="invitation")
    assert b.name in notice.title and notice.url == reverse("programs:membership_invitations")
    client.force_login(a)
    assert reverse("programs:membership_invitations") in client.get(reverse("home:home")).content.decode()
    assert b.name in client.get(reverse("programs:membership_invitations")).content.decode()


def test_an_existing_person_added_by_hand_is_asked_too(client, victim):
    a, b, coordinator_b = victim["mentee_a"], victim["other_program"], victim["other_coordinator"]
    client.force_login(coordinator_b)
    response = client.post(reverse("dataio:program_person_add", args=[b.pk]), {
        "email": a.email, "role": "mentee", "training_level": "pgy2", "academic_year": current_academic_year()})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=a, program=b).exists()
    assert MembershipInvitation.objects.get(user=a, program=b).source == "by_hand"
    assert open_records(client, coordinator_b, a).status_code == 403


def test_someone_new_added_by_hand_is_created_and_emailed_as_an_import_does(client, cast, mailoutbox):
    client.force_login(cast["coordinator"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("dataio:program_person_add", args=[cast["program"].pk]), {
            "email": "new.intern@example.org", "full_name": "New Intern", "role": "mentee", "training_level": "pgy1",
            "academic_year": current_academic_year()})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.intern@example.org", program=cast["program"])
    assert membership.is_active and membership.training_level == "pgy1"
    assert not MembershipInvitation.objects.exists()
    missing_name = client.post(reverse("dataio:program_person_add", args=[cast["program"].pk]), {
        "email": "nameless@example.org", "role": "mentee", "academic_year": current_academic_year()})
    assert missing_name.status_code == 422 and "A name is required" in missing_name.content.decode()


def test_accepting_makes_a_member_declining_leaves_nothing(client, victim):
    a, b, coordinator_b = victim["mentee_a"], victim["other_program"], victim["other_coordinator"]
    import_into(client, coordinator_b, b, f"Email,Name,PGY,ID\r\n{a.email},Anyone,PGY-2,B-77\r\n")
    invitation = MembershipInvitation.objects.get(user=a, program=b)

    client.force_login(victim["mentee_b"])  # nobody answers for someone else
    assert client.post(reverse("programs:membership_invitation_accept", args=[invitation.pk])).status_code == 403

    client.force_login(a)
    assert client.post(reverse("programs:membership_invitation_decline", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "declined" and not Membership.objects.filter(user=a, program=b).exists()
    # An import does not ask again; the coordinator sees the answer.
    ImportBatch.objects.all().delete()  # the same file, uploaded a second time
    import_into(client, coordinator_b, b, f"Email,Name,PGY,ID\r\n{a.email},Anyone,PGY-2,B-77\r\n")
    assert ImportBatch.objects.get().summary["declined"] == 1
    assert Notification.objects.filter(user=a, kind="invitation").count() == 1
    client.force_login(coordinator_b)
    assert "Declined" in client.get(reverse("programs:program_people", args=[b.pk])).content.decode()

    client.force_login(a)  # the person changes their mind
    assert client.post(reverse("programs:membership_invitation_accept", args=[invitation.pk])).status_code == 302
    membership = Membership.objects.get(user=a, program=b)
    assert membership.is_active and membership.role == "mentee" and membership.training_level == "pgy2"
    assert a.external_ids.get(program=b).value == "B-77"
    # A member of B now: B's coordinator may open the person's own records, but never A's note.
    response = open_records(client, coordinator_b, a)
    assert response.status_code == 200
    page = response.content.decode()
    assert WAIVER in page and NOTE_A not in page


def test_a_batch_match_in_b_never_reaches_a_pending_person_nor_as_plan(client, victim):
    from mentora.batchmatch import services as match_services

    a, b, coordinator_b = victim["mentee_a"], victim["other_program"], victim["other_coordinator"]
    # The coordinator of B makes themself a mentor of B, then imports A's resident as a mentee of B.
    MembershipFactory(user=coordinator_b, program=b, role="mentor", training_level="faculty")
    MentorOfferFactory(user=coordinator_b, kinds_offered=["research"], capacity=3)
    import_into(client, coordinator_b, b, f"Email,Name,PGY\r\n{a.email},Anyone,PGY-2\r\n")
    run = match_services.match_run_create(program=b, by=coordinator_b, kind="research", cohort="all",
                                          enqueue=False)
    run = match_services.match_run_execute(run_id=run.pk)
    from mentora.batchmatch.selectors import assignments

    paired = [x["mentee"] for x in assignments(run)]
    assert all(not str(mentee).endswith(str(a.pk)) for mentee in paired)  # not a candidate
    assert not Relationship.objects.filter(mentee=a, mentor=coordinator_b).exists()
    client.force_login(coordinator_b)
    assert client.post(reverse("ilps:ilp_sign_off", args=[victim["plan_a"].pk]), {"note": "ok"}).status_code == 403
    victim["plan_a"].refresh_from_db()
    assert victim["plan_a"].status == "submitted"


def test_a_mentor_matched_in_b_never_opens_or_signs_off_as_plan(client, victim):
    """Even with the person's consent to B, a relationship of B reaches B's plans only."""
    a, b = victim["mentee_a"], victim["other_program"]
    MembershipFactory(user=a, program=b, role="mentee", training_level="pgy2")
    mentor_b = victim["other_mentor"]
    Relationship.objects.create(mentee=a, mentor=mentor_b, kind="research", status="active", program=b,
                                source="batch_match")
    plan = victim["plan_a"]
    client.force_login(mentor_b)
    assert client.get(reverse("ilps:ilp_detail", args=[plan.pk])).status_code == 403
    assert client.post(reverse("ilps:ilp_sign_off", args=[plan.pk]), {"note": "ok"}).status_code == 403
    assert client.get(f"/api/ilps/{plan.pk}").status_code in (403, 404)
    assert GOAL_A not in client.get(reverse("ilps:ilp_timeline", args=[a.pk])).content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted" and not plan.sign_offs.exists()
    # A's own mentor still reviews it.
    client.force_login(victim["mentor_a"])
    assert client.post(reverse("ilps:ilp_sign_off", args=[plan.pk]), {"note": "Good plan"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_a_coordinator_of_b_never_reads_as_plan_or_notes_for_a_shared_member(client, victim):
    a, b, coordinator_b = victim["mentee_a"], victim["other_program"], victim["other_coordinator"]
    MembershipFactory(user=a, program=b, role="mentee", training_level="pgy2")
    ConfidentialNote.objects.create(subject=a, author=coordinator_b, program=b, kind="wellbeing", text=NOTE_B)
    page = open_records(client, coordinator_b, a).content.decode()
    assert NOTE_B in page and NOTE_A not in page
    assert client.get(reverse("ilps:ilp_detail", args=[victim["plan_a"].pk])).status_code == 403
    timeline = client.get(reverse("ilps:ilp_timeline", args=[a.pk]))
    assert timeline.status_code == 200 and GOAL_A not in timeline.content.decode()
    # Program A's coordinator reads A's note, not B's; the person and the admin read both.
    assert NOTE_A in (page := open_records(client, victim["coordinator"], a).content.decode()) and NOTE_B not in page
    page = open_records(client, victim["admin"], a).content.decode()
    assert NOTE_A in page and NOTE_B in page
    client.force_login(a)
    page = client.get(reverse("audit:confidential_records", args=[a.pk])).content.decode()
    assert NOTE_A in page and NOTE_B in page
    # A note written by B's coordinator belongs to B.
    client.force_login(coordinator_b)
    client.post(reverse("audit:confidential_note_create", args=[a.pk]), {"kind": "remediation", "text": "Weekly check-in"})
    assert ConfidentialNote.objects.get(text="Weekly check-in").program == b


def test_leaving_a_program_ends_its_access(client, cast):
    from mentora.privacy.services import program_leave

    a, program, coordinator = cast["mentee_a"], cast["program"], cast["coordinator"]
    plan = ilp_services.plan_create(mentee=a, career_vision="Hospitalist")
    client.force_login(coordinator)
    assert client.get(reverse("ilps:ilp_timeline", args=[a.pk])).status_code == 200
    assert client.get(reverse("profiles:profile_detail", args=[a.pk])).status_code == 200
    program_leave(program=program, by=a)
    assert client.get(reverse("ilps:ilp_timeline", args=[a.pk])).status_code == 403
    assert client.get(reverse("profiles:profile_detail", args=[a.pk])).status_code == 403
    assert open_records(client, coordinator, a).status_code == 403
    people = client.get(reverse("programs:program_people", args=[program.pk])).content.decode()
    assert reverse("profiles:profile_detail", args=[a.pk]) not in people and "Left the program" in people
    assert plan.pk  # the plan stays the mentee's; the program's records are kept as its policy says
    # Re-importing the person who left asks them again rather than re-attaching them.
    plan_rows = f"Email,Name,PGY\r\n{a.email},Anyone,PGY-1\r\n"
    import_into(client, coordinator, program, plan_rows)
    assert not Membership.objects.filter(user=a, program=program, is_active=True).exists()
    assert MembershipInvitation.objects.get(user=a, program=program).status == "pending"


def test_new_people_created_by_an_import_are_members_at_once(client, cast):
    """Unchanged behaviour: the invitation email that lets a new person choose a password is their agreement."""
    import_into(client, cast["coordinator"], cast["program"], "Email,Name,PGY\r\nfresh@example.org,Fresh Face,PGY-1\r\n")
    fresh = UserFactory._meta.model.objects.get(email="fresh@example.org")
    assert Membership.objects.get(user=fresh, program=cast["program"]).is_active
    assert not MembershipInvitation.objects.filter(user=fresh).exists()
    assert Notification.objects.filter(user=fresh, kind="invitation").exists()
