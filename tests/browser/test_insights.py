"""A coordinator's journey through the program dashboard and the scholarly boards."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot, visit


@pytest.mark.django_db(transaction=True)
def test_coordinator_filters_drills_down_and_exports(checked_page, live_server, demo_network):
    page, checker = checked_page
    page.set_default_timeout(60000)  # a busy machine renders slowly; the assertions stay strict
    page.set_default_navigation_timeout(60000)
    log_in(checked_page, live_server.url, DEMO_LOGINS["coordinator"])
    drawn = []
    page.on("request", lambda request: drawn.append(request.url) if "/insights/charts/" in request.url else None)
    page.get_by_role("link", name="Program dashboard").click()
    checker.check()
    assert page.get_by_role("heading", name="Program dashboard", level=1).is_visible()
    # Charts are images drawn on the server, each followed by its table; only those near the screen are
    # drawn when the page opens, the others as the reader scrolls to them.
    charts = page.locator("img[src*='/insights/charts/']").count()
    assert 0 < len(drawn) < charts, f"{len(drawn)} of {charts} charts asked for before any scrolling"
    chart = page.locator("img[src*='/insights/charts/']").last
    chart.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    screenshot(page, "insights-dashboard")

    page.get_by_label("Training level").select_option("pgy1")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"level=pgy1"))  # web-first: wait for the filtered page itself
    checker.check()
    assert "PGY-1" in page.locator(".lede").first.inner_text()
    screenshot(page, "insights-dashboard-pgy1")

    mentees = page.locator("#table-peoplecounts tbody tr").first.locator("a")
    expected = int(mentees.inner_text().split()[0].strip())
    mentees.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^{expected} "))
    checker.check()
    assert page.locator("tbody tr").count() == expected
    assert "PGY-1" in page.locator("tbody").inner_text()
    screenshot(page, "insights-drill-down")

    page.get_by_role("link", name="Back to the dashboard").click()
    checker.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download “People this academic year” as CSV").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8") as exported:
        text = exported.read()
    assert text.startswith("\ufeff")  # the byte-order mark that makes Excel read UTF-8 names right
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["Group", "People"]
    assert dict(rows[1:])["Mentees"] == str(expected)


@pytest.mark.django_db(transaction=True)
def test_mentee_moves_a_project_on_the_board(checked_page, live_server, demo_network):
    page, checker = checked_page
    page.set_default_timeout(60000)  # a busy machine renders slowly; the assertions stay strict
    page.set_default_navigation_timeout(60000)
    log_in(checked_page, live_server.url, DEMO_LOGINS["mentee"])
    visit(checked_page, f"{live_server.url}/scholarly/")
    assert page.locator(".project-stalled").count() == 1
    card = page.locator(".board-column").filter(has=page.get_by_role("heading", name="Idea")).locator("article").first
    title = card.locator("h3").inner_text()
    card.get_by_label(f"Move “{title}” to stage").select_option("proposal")
    card.get_by_role("button", name="Move").click()
    proposal = page.locator(".board-column").filter(has=page.get_by_role("heading", name="Proposal"))
    proposal.get_by_role("heading", name=title).wait_for()
    checker.check()
    screenshot(page, "scholarly-board")
