"""A coordinator acts on a relationship in a browser: a rematch request from the queue, closed with a reason,
the mentee paired by hand with another mentor; both sides hear of each step."""

import re

import pytest

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, log_out, screenshot, visit


def _free_mentor(relationship):
    """A mentor of the program with a free place who does not evaluate the mentee."""
    from mentora.conflicts.selectors import conflict_map
    from mentora.relationships.selectors import mentor_load, program_mentors

    mentors = list(program_mentors(program=relationship.program).exclude(pk=relationship.mentor_id)
                   .select_related("mentor_offer"))
    load = mentor_load(mentor_ids=[m.pk for m in mentors])
    conflicts = conflict_map(mentee_ids=[relationship.mentee_id], mentor_ids=[m.pk for m in mentors])
    return next(m for m in mentors if load.get(m.pk, 0) < m.mentor_offer.capacity
                and (relationship.mentee_id, m.pk) not in conflicts)


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_takes_a_rematch_request_closes_and_pairs_the_mentee_by_hand(checked_page, live_server,
                                                                                  demo_network):
    from mentora.meetings.models import RematchRequest
    from mentora.notifications.models import Notification
    from mentora.relationships.models import Relationship

    page, checker = checked_page
    base = live_server.url
    mentee, mentor = demo_network.logins["mentee"], demo_network.logins["mentor"]
    relationship = Relationship.objects.select_related("program").get(mentee=mentee, mentor=mentor)

    # The mentee asks for a rematch from the relationship's page.
    log_in(checked_page, base, DEMO_LOGINS["mentee"])
    visit(checked_page, f"{base}/mentoring/relationships/{relationship.pk}/")
    page.get_by_role("link", name="Ask for a rematch").click()
    checker.check()
    page.get_by_label("What do you need from a new match?").fill("My research moved to cardio-oncology.")
    page.get_by_role("button", name="Send to the coordinator").click()
    page.wait_for_load_state("load")
    checker.check()
    log_out(checked_page)
    item = RematchRequest.objects.get(relationship=relationship)

    # The coordinator's notice opens the queue item.
    coordinator = demo_network.logins["coordinator"]
    notice = Notification.objects.get(user=coordinator, key=f"rematch:{item.pk}")
    log_in(checked_page, base, DEMO_LOGINS["coordinator"])
    visit(checked_page, base + notice.url)
    card = page.locator(f"#rematch-{item.pk}")
    assert card.get_by_text("My research moved to cardio-oncology.").is_visible()
    screenshot(page, "rematch-queue")

    # Close the relationship with a reason.
    card.get_by_role("link", name="Close with a reason").click()
    checker.check()
    page.get_by_label(re.compile("Reason")).fill("The mentee's research moved to cardio-oncology.")
    page.get_by_role("button", name="Close", exact=True).click()
    page.wait_for_load_state("load")
    checker.check()
    assert page.get_by_text("The relationship is closed; both of them are told.").is_visible()
    relationship.refresh_from_db()
    assert relationship.status == "closed"

    # Pair the mentee by hand from the same item.
    new_mentor = _free_mentor(relationship)
    page.locator(f"#rematch-{item.pk}").get_by_role("link", name=re.compile("by hand")).click()
    checker.check()
    page.locator("#id_mentor").select_option(str(new_mentor.pk))
    page.get_by_label(re.compile("Reason")).fill("A cardio-oncologist with a free place.")
    page.get_by_role("button", name="Pair them").click()
    page.wait_for_load_state("load")
    checker.check()
    started = Relationship.objects.get(mentee=mentee, mentor=new_mentor, status="active")
    assert page.url.endswith(f"/mentoring/relationships/{started.pk}/")
    assert page.get_by_text("A cardio-oncologist with a free place.").is_visible()  # in the history
    screenshot(page, "paired-by-hand")

    # Both sides heard of each step.
    for person in (mentee, mentor):
        assert Notification.objects.filter(user=person, title__contains="closed your mentoring relationship",
                                           body="The mentee's research moved to cardio-oncology.").exists()
    for person in (mentee, new_mentor):
        assert Notification.objects.filter(user=person, title__contains="paired you",
                                           body__startswith="A cardio-oncologist with a free place.").exists()
