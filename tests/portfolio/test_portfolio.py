import csv
import datetime
import io

import pytest
from django.utils import timezone

from mentora.core.academic_year import academic_year_label, academic_year_of
from mentora.meetings.models import Meeting, SurveyResponse
from mentora.portfolio.downloads import portfolio_csv
from mentora.portfolio.selectors import mentor_portfolio
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
    this_year = academic_year_label(academic_year_of(mentoring["today"]))
    by_year = dict(portfolio.mentees_by_year)
    assert len(by_year[this_year]) == 5
    old_year = academic_year_label(academic_year_of(mentoring["old"].started_on))
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
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
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


def test_goals_supported_counts_the_mentees_real_goals_in_the_years_mentored(mentoring):
    from mentora.ilps.models import Goal
    from mentora.ilps.services import ilps_rollover
    from tests.ilps.factories import GoalFactory, PlanFactory

    mentor, mentees, today = mentoring["mentor"], mentoring["mentees"], mentoring["today"]
    this_year = academic_year_of(today)
    last_year = academic_year_of(mentoring["old"].started_on)

    def plan_with(mentee, year, *statuses):
        plan = PlanFactory(mentee=mentee, academic_year=year)
        for status in statuses:
            GoalFactory(plan=plan, status=status, statement=f"{status} goal of {mentee.full_name} in {year}")
        return plan

    plan_with(mentees[0], this_year, "achieved", "dropped", "in_progress")  # 3, one achieved
    plan_with(mentees[5], last_year, "not_started")  # mentored last year: 1
    plan_with(mentees[5], this_year, "in_progress", "in_progress")  # not mentored this year: 0
    # Mentored across both years: last year's open goal carried forward, then achieved: counts once.
    both = UserFactory(full_name="Mentee across two years")
    RelationshipFactory(mentor=mentor, mentee=both, started_on=mentoring["old"].started_on)
    plan_with(both, last_year, "in_progress")
    assert ilps_rollover(mentee_ids=[both.pk], from_year=last_year).goals_carried == 1
    Goal.objects.filter(plan__mentee=both, plan__academic_year=last_year + 1).update(status="achieved")
    # Not the mentor's: someone else's mentee, a request still waiting, a request declined before it began.
    plan_with(RelationshipFactory().mentee, this_year, "in_progress")
    plan_with(RelationshipFactory(mentor=mentor, status="proposed").mentee, this_year, "in_progress")
    declined = RelationshipFactory(mentor=mentor, status="closed", started_on=None)
    plan_with(declined.mentee, this_year, "in_progress")

    portfolio = mentor_portfolio(mentor=mentor)
    assert portfolio.goals_supported == 5 and portfolio.goals_achieved == 2
    assert declined.mentee.display_name not in {row["mentee"] for _y, rows in portfolio.mentees_by_year for row in rows}
    rows = list(csv.DictReader(io.StringIO(portfolio_csv(portfolio).lstrip("\ufeff"))))
    assert [r["value"] for r in rows if r["section"] in {"goals_supported", "goals_achieved"}] == ["5", "2"]


def test_feedback_needs_five_different_mentees_not_five_answers(mentoring, client):
    relationship = mentoring["relationships"][0]
    for period in range(6):  # one mentee answering six times is still one mentee's view
        SurveyResponse.objects.create(relationship=relationship, respondent=relationship.mentee, role="mentee",
                                      period=f"2026-{period}", ratings={"communication": 2})
    add_feedback(mentoring["relationships"][1:], 3)
    portfolio = mentor_portfolio(mentor=mentoring["mentor"])
    assert portfolio.feedback_responses == 9 and portfolio.feedback_respondents == 4
    assert not portfolio.feedback_enough and portfolio.feedback_rows == []
    client.force_login(mentoring["mentor"])
    assert b"at least five mentees" in client.get("/portfolio/").content
    assert "feedback_mean" not in client.get("/portfolio/portfolio.csv").content.decode()
    add_feedback(mentoring["relationships"][4:], 1)
    portfolio = mentor_portfolio(mentor=mentoring["mentor"])
    assert portfolio.feedback_respondents == 5 and portfolio.feedback_enough
    assert [row["responses"] for row in portfolio.feedback_rows] == [10]
