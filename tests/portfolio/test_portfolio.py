import csv
import datetime
import io

import pytest
from django.utils import timezone

from mentora.meetings.models import Meeting, SurveyResponse
from mentora.portfolio.exports import portfolio_csv
from mentora.portfolio.selectors import mentor_portfolio, year_label
from mentora.programs.selectors import academic_year_of
from mentora.scholarly.models import ScholarlyProject
from tests.factories import RelationshipFactory, UserFactory


@pytest.fixture
def mentoring(db):
    mentor = UserFactory(full_name="Grace Adeyemi")
    today = timezone.localdate()
    last_year = today - datetime.timedelta(days=400)
    mentees = [UserFactory(full_name=f"Mentee {i}") for i in range(6)]
    relationships = [RelationshipFactory(mentor=mentor, mentee=m, started_on=today) for m in mentees[:5]]
    old = RelationshipFactory(mentor=mentor, mentee=mentees[5], started_on=last_year,
                              ended_on=last_year + datetime.timedelta(days=30), status="closed")
    RelationshipFactory(mentor=mentor, status="proposed")  # a request not accepted: not in the portfolio
    for i, relationship in enumerate(relationships[:3]):
        Meeting.objects.create(relationship=relationship, starts_at=timezone.now() - datetime.timedelta(days=i + 1),
                               status="held")
    Meeting.objects.create(relationship=relationships[0], starts_at=timezone.now(), status="missed")
    project = ScholarlyProject.objects.create(title="Sepsis bundles in community hospitals", kind="abstract",
                                              stage_changed_on=today)
    project.owners.add(mentees[0])
    project.mentors.add(mentor)
    return {"mentor": mentor, "mentees": mentees, "relationships": relationships, "old": old, "today": today}


def add_feedback(relationships, n):
    for i, relationship in enumerate(relationships[:n]):
        SurveyResponse.objects.create(relationship=relationship, respondent=relationship.mentee, role="mentee",
                                      period=f"2026-{i}", ratings={"communication": 5 + i % 3, "rare": 7}
                                      if i == 0 else {"communication": 5 + i % 3})


def test_portfolio_counts_by_year(mentoring):
    portfolio = mentor_portfolio(mentor=mentoring["mentor"])
    this_year = year_label(academic_year_of(mentoring["today"]))
    by_year = dict(portfolio.mentees_by_year)
    assert len(by_year[this_year]) == 5
    old_year = year_label(academic_year_of(mentoring["old"].started_on))
    assert [row["mentee"] for row in by_year[old_year]] == ["Mentee 5"]
    assert portfolio.mentee_count == 6
    assert portfolio.meetings_held == 3  # held only, not missed
    assert [p["title"] for p in portfolio.scholarly] == ["Sepsis bundles in community hospitals"]
    assert portfolio.scholarly[0]["with_mentee"] is True


def test_feedback_only_as_an_aggregate_of_five(mentoring):
    add_feedback(mentoring["relationships"], 4)
    portfolio = mentor_portfolio(mentor=mentoring["mentor"])
    assert portfolio.feedback_responses == 4 and not portfolio.feedback_enough and portfolio.feedback_rows == []
    SurveyResponse.objects.all().delete()
    add_feedback(mentoring["relationships"], 5)
    portfolio = mentor_portfolio(mentor=mentoring["mentor"])
    assert portfolio.feedback_enough
    rows = {row["question"]: row for row in portfolio.feedback_rows}
    expected = round(sum(5 + i % 3 for i in range(5)) / 5, 1)
    assert [row["mean"] for row in rows.values()] == [expected]  # the single-answer question is left out
    assert all(row["responses"] >= 5 for row in rows.values())


def test_csv_and_pdf_downloads(client, mentoring):
    client.force_login(mentoring["mentor"])
    page = client.get("/portfolio/")
    assert page.status_code == 200 and b"Sepsis bundles" in page.content
    response = client.get("/portfolio/portfolio.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sum(1 for r in rows if r["section"] == "mentee") == 6
    assert sum(int(r["value"]) for r in rows if r["section"] == "meetings_held") == 3
    assert any(r["section"] == "scholarly_output" for r in rows)
    assert response.content.decode() == portfolio_csv(mentor_portfolio(mentor=mentoring["mentor"]))
    pdf = client.get("/portfolio/portfolio.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


def test_portfolio_is_the_mentors_own(client, mentoring):
    client.force_login(mentoring["mentees"][0])
    assert client.get("/portfolio/").status_code == 403
    assert client.get("/portfolio/portfolio.pdf").status_code == 403
