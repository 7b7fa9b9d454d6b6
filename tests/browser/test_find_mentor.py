"""Browser journeys of finding a mentor and of batch matching (issue 4)."""

import re

import pytest
from playwright.sync_api import expect

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot, visit


def _mentor_with_a_place(mentee, *, besides):
    """A demo mentor the mentee may ask for research mentorship: room left, no conflict, not theirs yet."""
    from django.core.exceptions import ValidationError

    from mentora.conflicts.services import pair_check_allowed
    from mentora.directory.services import check_can_ask
    from mentora.profiles.models import MentorOffer

    for offer in (MentorOffer.objects.filter(accepting_new_mentees=True).exclude(user=besides)
                  .select_related("user").order_by("user__full_name")):
        if offer.kinds_offered and "research" not in offer.kinds_offered:
            continue
        try:
            check_can_ask(mentee=mentee, mentor=offer.user, offer=offer)
            pair_check_allowed(mentor=offer.user, mentee=mentee)
        except ValidationError:
            continue
        return offer.user
    raise AssertionError("the demo has no mentor with a place free")


@pytest.mark.django_db(transaction=True)
def test_mentee_finds_requests_and_the_mentor_accepts(checked_page, live_server, demo_network):
    from django.contrib.auth import get_user_model

    from mentora.relationships.models import Relationship

    page, checker = checked_page
    base = live_server.url
    priya = get_user_model().objects.get(email=DEMO_LOGINS["mentee"])
    elena = get_user_model().objects.get(email=DEMO_LOGINS["mentor"])
    chosen = _mentor_with_a_place(priya, besides=elena)
    log_in(checked_page, base, DEMO_LOGINS["mentee"])
    page.get_by_role("link", name="Find a mentor").click()
    checker.check()
    page.get_by_label("Search", exact=True).fill("García")
    page.get_by_role("button", name="Search").click()
    # Web-first: the unfiltered list already shows her, so wait for the filtered answer itself.
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(r"^1 mentor\b"))
    expect(page.locator(".mentor-row")).to_have_count(1)
    # Dr. García already mentors Priya: she is shown as her mentor and not offered again.
    own = page.locator(".mentor-row", has_text="Dr. Elena García")
    expect(own).to_be_visible()
    expect(own.get_by_text("Your mentor")).to_be_visible()
    expect(own.get_by_role("link", name=re.compile("to mentor me"))).to_have_count(0)
    screenshot(page, "find-mentor-directory")
    visit(checked_page, f"{base}/find/recommended/")
    assert page.locator(".recommendation-list li").count() >= 1
    screenshot(page, "find-mentor-recommended")
    visit(checked_page, f"{base}/find/ask/{elena.pk}/")
    expect(page.get_by_text("already mentors you")).to_be_visible()
    visit(checked_page, f"{base}/people/{chosen.pk}/")
    visit(checked_page, f"{base}/find/ask/{chosen.pk}/")
    page.get_by_label("Kind of mentorship").select_option("research")
    page.get_by_label("Why you are asking this mentor").fill("Your heart failure outcomes work in immigrant patients.")
    page.get_by_label("What you hope for").fill("A first abstract this year; an academic cardiology career.")
    screenshot(page, "find-mentor-request-form")
    page.get_by_role("button", name="Send my request").click()
    checker.check()
    assert page.get_by_test_id("request-status").inner_text() == "Waiting for an answer"
    request_url = page.url

    page.context.clear_cookies()
    log_in(checked_page, base, chosen.email)
    page.get_by_role("link", name="Requests", exact=True).click()
    checker.check()
    page.get_by_role("link", name="Priya Raman").first.click()
    checker.check()
    # The mentor decides with the mentee's profile and goals in view, and can open the full profile.
    summary = page.locator("#mentee-summary")
    expect(summary.get_by_role("heading", name="About Priya Raman")).to_be_visible()
    expect(summary.get_by_role("link", name="Read Priya Raman's full profile")).to_be_visible()
    page.get_by_label("A note to the mentee (optional)").fill("Happy to. Bring your draft abstract.")
    screenshot(page, "find-mentor-request-answer")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "find-mentor-request-answer-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Accept").click()
    checker.check()
    relationship = Relationship.objects.get(mentee=priya, mentor=chosen, kind="research", status="active")
    page.wait_for_url(f"{base}/mentoring/relationships/{relationship.pk}/")
    visit(checked_page, request_url)
    assert page.get_by_test_id("request-status").inner_text() == "Accepted"
    visit(checked_page, f"{base}/")
    mentees = page.locator("[data-role=mentor] tbody tr", has_text="Priya Raman")
    assert mentees.filter(has_text="Research mentor").count() == 1
    screenshot(page, "find-mentor-mentor-dashboard")

    page.context.clear_cookies()
    log_in(checked_page, base, DEMO_LOGINS["mentee"])
    team = page.locator("[data-role=mentee] .people-list li", has_text=chosen.display_name)
    assert team.filter(has_text="Research mentor").count() == 1
    visit(checked_page, f"{base}/find/team/")
    assert page.locator("section", has=page.get_by_role("heading", name="Research mentor")).get_by_text(
        chosen.display_name).is_visible()
    screenshot(page, "find-mentor-team")


@pytest.mark.django_db(transaction=True)
def test_coordinator_runs_edits_and_publishes_a_batch_match(checked_page, live_server, demo_network):
    from mentora.batchmatch.models import MatchRun
    from mentora.relationships.models import Relationship

    page, checker = checked_page
    base = live_server.url
    before = Relationship.objects.filter(source="batch_match").count()
    existing = list(Relationship.objects.values_list("pk", flat=True))
    log_in(checked_page, base, DEMO_LOGINS["coordinator"])
    page.get_by_role("link", name="Batch match").click()
    checker.check()
    page.get_by_role("link", name="New batch match").click()
    checker.check()
    page.get_by_label("Algorithm").select_option("fair")
    page.get_by_label("Language").fill("2")
    screenshot(page, "batch-match-new")
    page.get_by_role("button", name="Run the match").click()
    checker.check()
    run = MatchRun.objects.order_by("-pk").first()
    assert run.algorithm == "fair" and run.weights["languages"] == 2
    page.get_by_test_id("run-status").filter(has_text="Preview ready").wait_for()
    rows = page.locator("table.pairs tbody tr")
    pairs = rows.count()
    assert pairs >= 3
    assert Relationship.objects.filter(source="batch_match").count() == before  # nothing before publishing
    # Every conflict-of-interest pair between the preview's people is listed, flagged, and none is a pair.
    from mentora.batchmatch.selectors import assignments, pool_offers, run_conflicts, unmatched
    from mentora.batchmatch.services import conflicts_of_interest
    from mentora.directory.matching import person_key, user_id_of

    stored = run_conflicts(MatchRun.objects.get(pk=run.pk))[:]
    mentee_ids = {user_id_of(a["mentee"]) for a in assignments(run)} | {
        user_id_of(u["mentee"]) for u in unmatched(run)}
    mentor_ids = set(pool_offers(run).values_list("user_id", flat=True))
    conflicts = {(person_key(a), person_key(b)) for a, b in conflicts_of_interest(
        mentee_ids=mentee_ids, mentor_ids=mentor_ids, academic_year=run.academic_year)}
    flagged = page.locator("table.conflict-pairs tbody tr")
    shown = {(flagged.nth(i).get_attribute("data-conflict-mentee"), flagged.nth(i).get_attribute("data-conflict-mentor"))
             for i in range(flagged.count())}
    assert shown and shown <= conflicts
    assert shown == {(c["mentee"], c["mentor"]) for c in stored}
    assert not conflicts & {(a["mentee"], a["mentor"]) for a in assignments(run)}
    assert page.get_by_role("heading", name=re.compile("^Conflicts of interest kept apart")).is_visible()
    screenshot(page, "batch-match-preview")

    first_mentee = rows.nth(0).get_attribute("data-mentee")
    rows.nth(0).get_by_role("button", name=re.compile("^Lock")).click()
    checker.check()
    assert page.locator(f"tr[data-mentee='{first_mentee}']").get_by_text("Locked").is_visible()
    second = page.locator("table.pairs tbody tr").nth(1)
    removed_mentee = second.get_attribute("data-mentee")
    second.get_by_role("button", name=re.compile("^Remove")).click()
    checker.check()
    assert page.locator(f"tr[data-mentee='{removed_mentee}']").count() == 0
    assert page.get_by_text("pair removed by the coordinator").is_visible()
    page.get_by_role("button", name=re.compile("^Re-run")).click()
    checker.check()
    page.get_by_test_id("run-status").filter(has_text="Preview ready").wait_for()
    assert page.locator(f"tr[data-mentee='{first_mentee}']").get_by_text("Locked").is_visible()
    screenshot(page, "batch-match-edited")
    published_pairs = page.locator("table.pairs tbody tr").count()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    checker.check()
    page.get_by_test_id("job-status").filter(has_text="Done").wait_for()  # the worker published it
    assert page.get_by_text("relationships created; both sides are told").is_visible()
    page.get_by_role("link", name="See the pairs").click()
    checker.check()
    assert page.get_by_test_id("run-status").inner_text() == "Published"
    assert Relationship.objects.filter(source="batch_match").count() == before + published_pairs
    published = {(person_key(a), person_key(b)) for a, b in Relationship.objects.filter(
        source="batch_match").exclude(pk__in=existing).values_list("mentee_id", "mentor_id")}
    assert not published & conflicts  # no conflict-of-interest pair was published
    screenshot(page, "batch-match-published")
