"""Browser journey: a mentee corrects an agenda item and deletes a shared note; the mentor sees who changed
what and when, cannot change the mentee's items, and finds the mentee on "My mentees"; the mentor decides on a
request with the mentee's profile and goals in view."""

import datetime

import pytest
from django.utils import timezone

from mentora.directory import services as directory_services
from mentora.ilps import services as ilp_services
from mentora.meetings import services
from mentora.profiles.models import Profile
from tests.factories import PASSWORD, MembershipFactory, MentorOfferFactory, RelationshipFactory

from .conftest import log_in, screenshot, visit


def both_widths(page, name):
    screenshot(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.django_db(transaction=True)
def test_corrections_are_shown_to_both_and_the_mentor_sees_their_mentees(checked_page, live_server):
    membership = MembershipFactory(role="mentee", user__full_name="Amara Okafor", training_level="pgy2")
    mentee, program = membership.user, membership.program
    mentor = MembershipFactory(program=program, role="mentor", training_level="faculty",
                               user__full_name="Dr. Lucia Fernández").user
    MentorOfferFactory(user=mentor, capacity=3)
    Profile.objects.filter(user=mentee).update(languages=["en", "yo"], career_tracks=["academic_medicine"],
                                               meeting_modes=["in_person"], headline="PGY-2, internal medicine")
    relationship = RelationshipFactory(mentee=mentee, mentor=mentor, program=program)
    meeting = services.meeting_schedule(relationship=relationship, by=mentor, time_zone="Europe/London",
                                        starts_at=timezone.now() + datetime.timedelta(days=3), notify_other=False)
    note = services.shared_note_add(meeting=meeting, by=mentee, body="I will bring my CV " + "x" * 300)
    plan = ilp_services.plan_create(mentee=mentee, career_vision="Academic cardiology.")
    ilp_services.goal_create(plan=plan, by=mentee, data={
        "statement": "Submit one case report on heart failure to a journal by 31 May", "measure": "Submitted",
        "domain": "research", "target_date": timezone.localdate() + datetime.timedelta(days=100)})
    page, checker = checked_page
    base = live_server.url
    meeting_url = f"{base}/mentoring/meetings/{meeting.pk}/"

    # The mentee adds an agenda item, corrects it, and deletes their shared note.
    log_in(checked_page, base, mentee.email, PASSWORD)
    visit(checked_page, meeting_url)
    page.get_by_label("Agenda item").fill("Boards timeline")
    page.get_by_role("button", name="Add to the agenda").click()
    checker.check()
    page.get_by_role("link", name="Edit agenda item: Boards timeline").click()
    checker.check()
    page.get_by_label("Agenda item").fill("Step 3 timeline and the fellowship application")
    page.get_by_role("button", name="Save the change").click()
    checker.check()
    agenda = page.locator("#agenda-heading + ol")
    assert agenda.locator("li", has_text="Step 3 timeline and the fellowship application").count() == 1
    assert agenda.locator("li", has_text="Boards timeline").count() == 0
    page.get_by_role("button", name="Delete shared note: I will bring my CV").click()
    checker.check()
    assert page.get_by_text("I will bring my CV", exact=False).count() == 1  # only in the history now
    assert page.viewport_size["width"] >= page.evaluate("document.documentElement.scrollWidth") - 1
    both_widths(page, "corrections-mentee-meeting")

    # The mentor sees who changed what, and cannot change the mentee's items.
    page.context.clear_cookies()
    log_in(checked_page, base, mentor.email, PASSWORD)
    assert page.get_by_role("heading", name="Welcome, Lucia").is_visible()
    assert page.title() == "Dashboard · Mentora"
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="My mentees").is_visible()
    assert nav.get_by_role("link", name="Find a mentor").count() == 0
    assert nav.get_by_role("link", name="My team").count() == 0
    visit(checked_page, meeting_url)
    changes = page.locator("section.item-changes")
    assert changes.get_by_text("Amara Okafor changed the agenda item").is_visible()
    assert changes.locator("del", has_text="Boards timeline").is_visible()
    assert changes.get_by_text("Amara Okafor deleted the shared note").is_visible()
    assert page.get_by_role("link", name="Edit agenda item: Step 3 timeline").count() == 0
    both_widths(page, "corrections-mentor-sees-changes")
    assert not type(note).objects.filter(pk=note.pk).exists()

    # My mentees: the plan's state, goals and meetings, one click from the navigation.
    nav.get_by_role("link", name="My mentees").click()
    checker.check()
    card = page.locator(".mentee-card", has_text="Amara Okafor")
    assert card.get_by_text("Draft").is_visible()
    assert card.get_by_text("1 not started").is_visible()
    both_widths(page, "my-mentees")

    # A new mentee asks; the mentor decides with the profile and goals in view, and lands in the relationship.
    asker = MembershipFactory(program=program, role="mentee", user__full_name="Kofi Mensah").user
    Profile.objects.filter(user=asker).update(languages=["en", "fr"], career_tracks=["research"],
                                              headline="PGY-1, internal medicine")
    asker_plan = ilp_services.plan_create(mentee=asker, career_vision="Clinical research.")
    ilp_services.goal_create(plan=asker_plan, by=asker, data={
        "statement": "Enrol 20 patients in the sepsis registry by 30 June", "measure": "20 enrolled",
        "domain": "research", "target_date": timezone.localdate() + datetime.timedelta(days=150)})
    asked = directory_services.request_create(by=asker, mentor=mentor, kind="career", why="Sepsis research",
                                              hopes="A registry paper")
    visit(checked_page, f"{base}/find/requests/{asked.pk}/")
    summary = page.locator("#mentee-summary")
    assert summary.get_by_text("English, French").is_visible()
    assert summary.get_by_text("Enrol 20 patients in the sepsis registry by 30 June").is_visible()
    both_widths(page, "request-with-mentee-summary")
    summary.get_by_role("link", name="Read Kofi Mensah's full profile").click()
    checker.check()
    both_widths(page, "profile-labels")
    page.go_back()
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("heading", name="Mentoring with Kofi Mensah").wait_for()
    checker.check()
    assert "/mentoring/relationships/" in page.url
    both_widths(page, "accepted-relationship")
