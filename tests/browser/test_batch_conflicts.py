"""Acceptance: a batch match over the demo program shows every conflict-of-interest pair flagged (page by
page) and publishes none of them."""

import re

import pytest

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot


def _flagged_on_every_page(page, checker) -> set[tuple[str, str]]:
    shown: set[tuple[str, str]] = set()
    while True:
        rows = page.locator("table.conflict-pairs tbody tr")
        for i in range(rows.count()):
            row = rows.nth(i)
            assert row.get_by_text("Conflict of interest").is_visible()
            shown.add((row.get_attribute("data-conflict-mentee"), row.get_attribute("data-conflict-mentor")))
        pages = page.get_by_role("navigation", name="Pages of conflict-of-interest pairs")
        if not pages.count() or not pages.get_by_role("link", name="Next").count():
            return shown
        pages.get_by_role("link", name="Next").click()
        checker.check()


@pytest.mark.django_db(transaction=True)
def test_a_batch_match_over_the_demo_program_flags_every_conflict_pair_and_publishes_none(
        checked_page, live_server, demo_network):
    from mentora.batchmatch.models import MatchRun
    from mentora.batchmatch.selectors import assignments, pool_offers, run_conflicts, unmatched
    from mentora.batchmatch.services import conflicts_of_interest
    from mentora.directory.matching import person_key, user_id_of
    from mentora.relationships.models import Relationship
    from mentora.relationships.selectors import mentor_load

    page, checker = checked_page
    base = live_server.url
    existing = set(Relationship.objects.values_list("pk", flat=True))
    log_in(checked_page, base, DEMO_LOGINS["coordinator"])
    page.get_by_role("link", name="Batch match").click()
    checker.check()
    page.get_by_role("link", name="New batch match").click()
    checker.check()
    page.get_by_role("button", name="Run the match").click()
    checker.check()
    page.get_by_test_id("run-status").filter(has_text="Preview ready").wait_for()
    run = MatchRun.objects.order_by("-pk").first()
    screenshot(page, "batch-match-conflicts")

    # Every pair of a cohort mentee with a pool mentor who has a free place and offers the kind, where the
    # mentor also evaluates the mentee.
    mentee_ids = {user_id_of(a["mentee"]) for a in assignments(run)} | {user_id_of(u["mentee"]) for u in unmatched(run)}
    offers = list(pool_offers(run))
    load = mentor_load(mentor_ids=[offer.user_id for offer in offers])
    mentors = {offer.user_id for offer in offers if offer.capacity - load.get(offer.user_id, 0) > 0
               and (not offer.kinds_offered or run.kind in offer.kinds_offered)}
    expected = {(person_key(a), person_key(b)) for a, b in conflicts_of_interest(
        mentee_ids=mentee_ids, mentor_ids=mentors, academic_year=run.academic_year)}
    assert expected, "the demo program has mentors who also evaluate its mentees"
    heading = page.get_by_role("heading", name=re.compile(r"^Conflicts of interest kept apart \((\d+)\)"))
    total = int(re.search(r"\((\d+)\)", heading.inner_text()).group(1))
    shown = _flagged_on_every_page(page, checker)
    assert len(shown) == total == len(run_conflicts(run)[:])
    assert shown == expected
    assert not shown & {(a["mentee"], a["mentor"]) for a in assignments(run)}

    page.goto(f"{base}/match/{run.pk}/")
    checker.check()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    checker.check()
    page.get_by_test_id("job-status").filter(has_text="Done").wait_for()
    published = {(person_key(a), person_key(b)) for a, b in Relationship.objects.exclude(pk__in=existing)
                 .filter(source="batch_match").values_list("mentee_id", "mentor_id")}
    assert published and not published & shown
