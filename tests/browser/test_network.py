"""A network coordinator compares two programs of the network side by side and drills into one."""

import re

import pytest
from playwright.sync_api import expect

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot


@pytest.mark.django_db(transaction=True)
def test_network_coordinator_compares_two_programs_and_drills_into_one(checked_page, live_server, demo_network):
    page, checker = checked_page
    page.set_default_timeout(60000)
    page.set_default_navigation_timeout(60000)
    log_in(checked_page, live_server.url, DEMO_LOGINS["network"])
    page.get_by_role("link", name="Network dashboard").first.click()
    checker.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Network dashboard: "))
    rows = page.locator("[data-testid=network-rollup] tbody tr")
    assert rows.count() >= 2
    first, second = rows.nth(0), rows.nth(1)
    figures = [{cell.get_attribute("data-figure"): cell.inner_text() for cell in row.locator("td").all()}
               for row in (first, second)]
    for row in figures:  # the same figures, side by side, for each program
        assert set(row) == {"mentees", "mentors", "unmatched", "load", "over", "on_track", "ilp", "concordance",
                            "feedback"}
        assert row["mentees"].isdigit() and row["mentors"].isdigit()
    screenshot(page, "network-dashboard")

    name = second.locator("th a").inner_text()
    second.locator("th a").click()
    checker.check()
    expect(page.get_by_role("heading", name="Program dashboard", level=1)).to_be_visible()
    assert name in page.locator(".lede").first.inner_text()
    expect(page.get_by_test_id("aggregate-only")).to_be_visible()
    assert page.locator("a[href*='/insights/people/']").count() == 0  # figures, never the people behind them
    mentees = page.locator("#table-peoplecounts tbody tr").first.locator("td").first.inner_text()
    assert mentees.strip() == figures[1]["mentees"]
    screenshot(page, "network-drill-down")
