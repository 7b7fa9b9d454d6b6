"""Coordinators edit their program's feedback survey in Mentora (questions and schedule), and the feedback
report gives this period's response rates, for groups of five or more only."""

import re

from django.urls import reverse
from django.utils import timezone

from mentora.meetings import selectors, services
from mentora.meetings.models import SurveyForm
from tests.factories import MembershipFactory, RelationshipFactory


def _pairs(cast, n):
    pairs = []
    for _ in range(n):
        mentee = MembershipFactory(program=cast["program"], role="mentee").user
        pairs.append(RelationshipFactory(mentee=mentee, mentor=cast["mentor_a"], program=cast["program"]))
    return pairs


def test_coordinator_edits_the_questions_and_the_schedule(client, cast):
    client.force_login(cast["coordinator"])
    url = reverse("meetings:program_survey_edit", args=[cast["program"].pk])
    page = client.get(url).content.decode()
    assert "Maintaining effective communication" in page  # the default questions to start from
    response = client.post(url, {"questions": "Is your mentor available?\r\nDo you set goals together?\r\n",
                                 "every_months": "4"})
    assert response.status_code == 302
    form = SurveyForm.objects.get(program=cast["program"])
    assert [q["label"] for q in form.questions] == ["Is your mentor available?", "Do you set goals together?"]
    assert form.every_months == 4
    keys = [q["key"] for q in form.questions]
    # a question kept keeps its key (the answers already given stay with it); a new one gets its own
    client.post(url, {"questions": "Do you set goals together?\r\nWould you recommend them?", "every_months": "4"})
    form.refresh_from_db()
    assert form.questions[0]["key"] == keys[1] and form.questions[1]["key"] not in keys
    # the relationship's survey asks the new questions
    relationship = RelationshipFactory(mentee=cast["mentee_b"], mentor=cast["mentor_a"], program=cast["program"])
    client.force_login(cast["mentee_b"])
    survey = client.get(reverse("meetings:relationship_survey", args=[relationship.pk])).content.decode()
    assert "Would you recommend them?" in survey and "Maintaining effective communication" not in survey


def test_survey_editor_refuses_bad_input_with_form_errors(client, cast):
    client.force_login(cast["coordinator"])
    url = reverse("meetings:program_survey_edit", args=[cast["program"].pk])
    empty = client.post(url, {"questions": "  \r\n", "every_months": "6"})
    assert empty.status_code == 422 and "Write at least one question" in empty.content.decode()
    twice = client.post(url, {"questions": "Same?\r\nsame?", "every_months": "6"})
    assert twice.status_code == 422 and "appears twice" in twice.content.decode()
    never = client.post(url, {"questions": "Fine?", "every_months": "0"})
    assert never.status_code == 422
    assert not SurveyForm.objects.exists()


def test_only_the_programs_coordinators_edit_its_survey(client, cast):
    url = reverse("meetings:program_survey_edit", args=[cast["program"].pk])
    for person in ("other_coordinator", "mentor_a", "mentee_a"):
        client.force_login(cast[person])
        assert client.get(url).status_code == 403
        assert client.post(url, {"questions": "Hacked?", "every_months": "6"}).status_code == 403
    assert not SurveyForm.objects.exists()


def test_feedback_report_gives_response_rates_for_groups_of_five_or_more(client, cast):
    period = selectors.survey_period(timezone.localdate())
    pairs = _pairs(cast, 7)  # with the cast's own relationship: 8 active relationships
    for relationship in pairs[:3]:
        services.survey_submit(relationship=relationship, by=relationship.mentee,
                               ratings={"communication": 5}, period=period)
    services.survey_submit(relationship=pairs[0], by=cast["mentor_a"], ratings={"communication": 6}, period=period)
    services.survey_submit(relationship=pairs[4], by=pairs[4].mentee, ratings={"communication": 5}, period="2000-1")
    rates = selectors.survey_response_rates(program_id=cast["program"].pk)
    assert (rates["mentee"]["answered"], rates["mentee"]["asked"], rates["mentee"]["percent"]) == (3, 8, 38)
    assert (rates["mentor"]["answered"], rates["mentor"]["asked"]) == (1, 8)
    client.force_login(cast["coordinator"])
    page = client.get(reverse("meetings:program_feedback", args=[cast["program"].pk])).content.decode()
    assert re.search(r"3 of 8 mentees answered[^<]*\(38%\)", page)


def test_response_rates_of_fewer_than_five_are_not_reported(client, cast):
    period = selectors.survey_period(timezone.localdate())
    pairs = _pairs(cast, 2)  # three relationships in all
    services.survey_submit(relationship=pairs[0], by=pairs[0].mentee, ratings={"communication": 5}, period=period)
    rates = selectors.survey_response_rates(program_id=cast["program"].pk)
    assert rates["mentee"]["percent"] is None
    client.force_login(cast["coordinator"])
    page = client.get(reverse("meetings:program_feedback", args=[cast["program"].pk])).content.decode()
    assert "1 of 3" not in page and "fewer than five" in page
