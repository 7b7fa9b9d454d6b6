import csv
import io

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

DASHBOARD = "/insights/"


def test_only_coordinators_directors_and_admins_open_the_dashboard(client, cast):
    assert client.get(DASHBOARD).status_code == 302
    for who, status in (("mentee_a", 403), ("mentor_a", 403), ("coordinator", 200), ("admin", 200)):
        client.force_login(cast[who])
        assert client.get(DASHBOARD).status_code == status, who


def test_director_membership_opens_the_dashboard(client, cast):
    from tests.factories import MembershipFactory

    director = MembershipFactory(program=cast["program"], role="director", training_level="").user
    client.force_login(director)
    assert client.get(DASHBOARD).status_code == 200


def test_dashboard_shows_every_panel_and_empty_states_say_what_to_do(client, cast):
    client.force_login(cast["coordinator"])
    html = client.get(DASHBOARD).content.decode()
    for title in ("Mentees and mentors", "Mentor load against capacity", "Match outcomes", "Meeting cadence adherence",
                  "Feedback scores", "Scholarly project pipeline", "Trends over the academic year",
                  "ILP compliance", "Goal status and progress"):
        assert title in html, title
    assert "No scholarly projects yet" in html and "Mentees start one" in html
    assert "style=" not in html and "<script>" not in html


def test_drill_down_lists_the_people_behind_a_figure(client, cast):
    client.force_login(cast["coordinator"])
    page = client.get(reverse("insights:insights_people", args=["people", "unmatched"])).content.decode()
    assert cast["mentee_b"].full_name in page and cast["mentee_a"].full_name not in page
    page = client.get(reverse("insights:insights_people", args=["people", "matched"])).content.decode()
    assert cast["mentee_a"].full_name in page and cast["mentee_b"].full_name not in page
    counts = dict(list(csv.reader(io.StringIO(client.get(
        reverse("insights:insights_export", args=["people.counts", "csv"])).content.decode())))[1:])
    assert (counts["Mentees"], counts["Mentees with a mentor"], counts["Mentees without a mentor"]) == ("2", "1", "1")
    # The dashboard links that figure.
    assert reverse("insights:insights_people", args=["people", "unmatched"]) in client.get(DASHBOARD).content.decode()


def test_unknown_and_sensitive_figures_never_drill_down(client, cast, grow):
    grow(cast["program"], 6)
    client.force_login(cast["coordinator"])
    html = client.get(DASHBOARD).content.decode()
    assert "Concordance asked for and achieved" in html
    for panel, figure in (("matches", "concordance"), ("matches", "concordance:gender"), ("feedback", "ratings"),
                          ("people", "nonsense"), ("nopanel", "mentees")):
        assert client.get(reverse("insights:insights_people", args=[panel, figure])).status_code == 404


def test_concordance_is_suppressed_below_five_and_shown_from_five(client, cast, grow):
    client.force_login(cast["coordinator"])
    grow(cast["program"], 4)
    rows = list(csv.reader(io.StringIO(client.get(reverse("insights:insights_export", args=["matches.concordance", "csv"]))
                                       .content.decode())))
    gender = next(r for r in rows if r and r[0] == "Gender")
    assert gender[1:] == ["<5", "<5", "0", "0"]
    grow(cast["program"], 3, mentor_gender="man")
    rows = list(csv.reader(io.StringIO(client.get(reverse("insights:insights_export", args=["matches.concordance", "csv"]))
                                       .content.decode())))
    gender = next(r for r in rows if r and r[0] == "Gender")
    # 7 asked: 4 achieved, 3 with another mentor -> the 3 is hidden, and so is its complement (4).
    assert gender[1:] == ["7", "<5", "<5", "0"]


def test_filters_by_training_level(client, cast, grow):
    grow(cast["program"], 2, level="pgy3")
    client.force_login(cast["coordinator"])
    rows = dict(list(csv.reader(io.StringIO(client.get(
        reverse("insights:insights_export", args=["people.counts", "csv"]) + "?level=pgy3").content.decode())))[1:])
    assert rows["Mentees"] == "2"
    rows = dict(list(csv.reader(io.StringIO(client.get(
        reverse("insights:insights_export", args=["people.counts", "csv"])).content.decode())))[1:])
    assert rows["Mentees"] == "4"


def test_exports_csv_and_xlsx_of_every_table(client, cast, grow):
    grow(cast["program"], 2)
    client.force_login(cast["coordinator"])
    from mentora.core.academic_year import current_academic_year
    from mentora.insights.scope import Scope
    from mentora.insights.selectors import dashboard_panels

    panels = dashboard_panels(scope=Scope(program_ids=(cast["program"].pk,), academic_year=current_academic_year()))
    tables = [t for p in panels for t in p.tables]
    assert len(tables) >= 5
    html = client.get(DASHBOARD).content.decode()
    for table in tables:
        for fmt in ("csv", "xlsx"):
            assert reverse("insights:insights_export", args=[table.key, fmt]) in html
        response = client.get(reverse("insights:insights_export", args=[table.key, "csv"]))
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == table.columns
        assert rows[1:1 + len(table.rows)] == [[str(v) for v in r] for r in table.as_lists()]
        book = load_workbook(io.BytesIO(client.get(reverse("insights:insights_export", args=[table.key, "xlsx"])).content))
        sheet = book.worksheets[0]
        assert [c.value for c in sheet[3]] == table.columns
    book = load_workbook(io.BytesIO(client.get(reverse("insights:insights_export_all")).content))
    assert len(book.worksheets) == len(tables)


def test_pdf_report_has_the_charts_and_tables(client, cast, grow):
    from pypdf import PdfReader

    grow(cast["program"], 3)
    client.force_login(cast["coordinator"])
    assert "Prepare the report" in client.get(reverse("insights:insights_report")).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker prepares it (immediate backend)
        asked = client.post(reverse("insights:insights_report") + f"?program={cast['program'].pk}")
    assert asked.status_code == 302
    page = client.get(asked["Location"]).content.decode()
    assert 'data-testid="job-status">Done<' in page and "Download mentora-program-report-" in page
    job_id = int(asked["Location"].rstrip("/").rsplit("/", 1)[-1])
    response = client.get(reverse("background:job_download", args=[job_id]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="mentora-program-report-')
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Program report" in text and "Scholarly projects by stage" in text
    assert "Relationships by how they started" in text
    assert cast["mentee_a"].full_name not in text  # a report of aggregates, not of people
    client.force_login(cast["mentee_a"])
    assert client.get(reverse("insights:insights_report")).status_code == 403
    assert client.post(reverse("insights:insights_report")).status_code == 403
    assert client.get(reverse("background:job_download", args=[job_id])).status_code == 403
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("background:job_download", args=[job_id])).status_code == 403


@pytest.mark.parametrize("viewer", ["coordinator", "admin"])
def test_same_number_of_queries_at_two_sizes(client, cast, grow, viewer):
    from django.core.cache import cache

    client.force_login(cast[viewer])
    grow(cast["program"], 2)
    client.get(DASHBOARD)
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            grow(cast["program"], 12, level="pgy2", source="batch_match")
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(DASHBOARD).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(DASHBOARD).status_code == 200
        counts[size] = (len(cold), len(warm))
    assert counts["small"] == counts["large"]
    assert counts["small"][1] < counts["small"][0]  # warm: panels come from the cache


# Midday, and an hour when the viewer's day (New York) is not the worker's (UTC): the worker computes the
# panels for the day of the person who looked.
@pytest.mark.parametrize("at", ["2026-12-07T15:00:00Z", "2026-12-07T02:00:00Z"])
@pytest.mark.parametrize("viewer", ["coordinator", "admin"])
def test_after_a_change_the_worker_computes_the_panels_people_look_at(client, cast, grow, settings, time_machine,
                                                                     viewer, at):
    """The first look at the dashboard after a change costs what a warm one does: the worker computed the
    panels of the scopes looked at lately under the new data version; the change shows."""
    from mentora.profiles.models import Profile
    from tests.factories import MembershipFactory

    settings.MENTORA_WARM_AHEAD = True
    Profile.objects.update_or_create(user=cast[viewer], defaults={"time_zone": "America/New_York"})
    time_machine.move_to(at, tick=True)
    client.force_login(cast[viewer])
    grow(cast["program"], 2)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as warm:
        client.get(DASHBOARD)
    url = reverse("insights:insights_export", args=["people.counts", "csv"])
    before = dict(list(csv.reader(io.StringIO(client.get(url).content.decode())))[1:])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the immediate task backend runs the worker's task
        MembershipFactory(program=cast["program"], role="mentee")
    with CaptureQueriesContext(connection) as first_look:
        html = client.get(DASHBOARD).content.decode()
    assert len(first_look) == len(warm), [q["sql"][:120] for q in first_look.captured_queries]
    assert "Mentees and mentors" in html
    after = dict(list(csv.reader(io.StringIO(client.get(url).content.decode())))[1:])
    assert int(after["Mentees"]) == int(before["Mentees"]) + 1


def test_a_warm_dashboard_reads_no_whole_table(client, cast, grow):
    """The data version is a counter moved on writes plus a fingerprint of the tables refreshed once a
    minute: a warm request never counts whole tables, and a write still shows at once."""
    from tests.factories import MembershipFactory

    client.force_login(cast["coordinator"])
    grow(cast["program"], 3)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(DASHBOARD).status_code == 200
    whole_tables = [q["sql"] for q in warm.captured_queries if "COUNT(*)" in q["sql"].upper()
                    and "SELECT (SELECT" in q["sql"].upper()]
    assert not whole_tables
    url = reverse("insights:insights_export", args=["people.counts", "csv"])
    before = dict(list(csv.reader(io.StringIO(client.get(url).content.decode())))[1:])
    MembershipFactory(program=cast["program"], role="mentee")
    after = dict(list(csv.reader(io.StringIO(client.get(url).content.decode())))[1:])
    assert int(after["Mentees"]) == int(before["Mentees"]) + 1


def test_panel_cache_follows_the_data(client, cast):
    from tests.factories import MembershipFactory

    client.force_login(cast["coordinator"])
    url = reverse("insights:insights_export", args=["people.counts", "csv"])
    before = dict(list(csv.reader(io.StringIO(client.get(url).content.decode())))[1:])
    MembershipFactory(program=cast["program"], role="mentee")
    after = dict(list(csv.reader(io.StringIO(client.get(url).content.decode())))[1:])
    assert int(after["Mentees"]) == int(before["Mentees"]) + 1
