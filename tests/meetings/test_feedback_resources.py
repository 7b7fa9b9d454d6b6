import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mentora.meetings import selectors, services
from mentora.meetings.models import Resource, SurveyForm, SurveyResponse
from mentora.meetings.vocabulary import MCA_COMPETENCIES
from tests.factories import MembershipFactory, RelationshipFactory

RATINGS = {key: 6 for key, _ in MCA_COMPETENCIES}


def _pairs(cast, n):
    for _ in range(n):
        mentee = MembershipFactory(program=cast["program"], role="mentee").user
        yield RelationshipFactory(mentee=mentee, mentor=cast["mentor_a"], program=cast["program"])


def test_default_form_is_the_six_mca_competencies(cast):
    keys = [q["key"] for q in selectors.survey_questions(program_id=cast["program"].pk)]
    assert keys == ["communication", "aligning_expectations", "assessing_understanding", "addressing_diversity",
                    "fostering_independence", "professional_development"]


def test_programs_configure_their_own_questions(cast, rel):
    SurveyForm.objects.create(program=cast["program"], questions=[{"key": "availability", "label": "Available?"}])
    assert [q["key"] for q in selectors.survey_questions(program_id=cast["program"].pk)] == ["availability"]
    response = services.survey_submit(relationship=rel, by=cast["mentee_a"], ratings={"availability": 5},
                                      period="2026-2")
    assert response.ratings == {"availability": 5} and response.role == "mentee"


def test_bad_or_repeated_answers_are_refused(cast, rel):
    with pytest.raises(ValidationError):
        services.survey_submit(relationship=rel, by=cast["mentee_a"], ratings={"communication": 9}, period="p")
    with pytest.raises(ValidationError):
        services.survey_submit(relationship=rel, by=cast["mentee_a"], ratings={}, period="p")
    services.survey_submit(relationship=rel, by=cast["mentee_a"], ratings=RATINGS, period="p")
    with pytest.raises(ValidationError):
        services.survey_submit(relationship=rel, by=cast["mentee_a"], ratings=RATINGS, period="p")
    with pytest.raises(PermissionDenied):
        services.survey_submit(relationship=rel, by=cast["coordinator"], ratings=RATINGS, period="p")
    assert SurveyResponse.objects.count() == 1


def test_results_reach_the_program_only_as_aggregates_of_five(client, cast):
    rels = list(_pairs(cast, 5))
    for index, rel in enumerate(rels[:4]):
        services.survey_submit(relationship=rel, by=rel.mentee, ratings={**RATINGS, "communication": 3 + index},
                               period="p", comment=f"private comment {index}")
    client.force_login(cast["coordinator"])
    url = reverse("meetings:program_feedback", args=[cast["program"].pk])
    page = client.get(url).content.decode()
    assert "Not enough responses yet" in page and "4.5" not in page
    assert selectors.feedback_aggregate(program_id=cast["program"].pk, role="mentee")["rows"] == []
    services.survey_submit(relationship=rels[4], by=rels[4].mentee, ratings={**RATINGS, "communication": 7},
                           period="p")
    data = selectors.feedback_aggregate(program_id=cast["program"].pk, role="mentee")
    assert data["count"] == 5
    row = next(r for r in data["rows"] if r["label"] == "Maintaining effective communication")
    assert row["mean"] == round((3 + 4 + 5 + 6 + 7) / 5, 1) and row["n"] == 5
    page = client.get(url).content.decode()
    assert "5 responses" in page and "private comment" not in page
    for outsider in ("other_coordinator", "mentor_a", "mentee_a"):
        client.force_login(cast[outsider])
        assert client.get(url).status_code == 403


def test_survey_page_for_both_sides(client, cast, rel):
    client.force_login(cast["mentor_a"])
    url = reverse("meetings:relationship_survey", args=[rel.pk])
    assert "Promoting professional development" in client.get(url).content.decode()
    data = {f"rating_{key}": "5" for key, _ in MCA_COMPETENCIES}
    assert client.post(url, data).status_code == 302
    assert SurveyResponse.objects.get().role == "mentor"
    client.force_login(cast["coordinator"])
    assert client.get(url).status_code == 403


def test_coordinators_curate_resources_and_mentors_attach_them(client, cast, meeting, other_program_resource=None):
    client.force_login(cast["coordinator"])
    url = reverse("meetings:resource_list")
    response = client.post(url, {"topic": "visas_licensing", "title": "J-1 waiver guide", "url": "https://ex.org/j1",
                                 "description": "Conrad 30 step by step", "scope": f"program:{cast['program'].pk}"})
    assert response.status_code == 302
    resource = Resource.objects.get(title="J-1 waiver guide")
    assert resource.program == cast["program"]
    response = client.post(url, {"topic": "visas_licensing", "title": "Nothing", "description": "no link",
                                 "scope": f"program:{cast['program'].pk}"})
    assert response.status_code == 200 and not Resource.objects.filter(title="Nothing").exists()
    # a coordinator cannot add to a program they do not coordinate
    with pytest.raises(PermissionDenied):
        services.resource_create(by=cast["coordinator"], topic="wellbeing", title="x", description="y",
                                 url="https://ex.org", program=cast["other_program"])
    client.force_login(cast["mentee_a"])
    page = client.get(url).content.decode()
    assert "J-1 waiver guide" in page and "Add a resource" not in page
    assert client.post(url, {"topic": "wellbeing"}).status_code == 403
    client.force_login(cast["mentor_a"])
    client.post(reverse("meetings:meeting_action", args=[meeting.pk, "homework"]),
                {"homework-text": "Read the waiver guide", "homework-resource": resource.pk})
    client.post(reverse("meetings:meeting_action", args=[meeting.pk, "agenda"]),
                {"agenda-text": "Waiver questions", "agenda-resource": resource.pk})
    assert meeting.homework.get().resource == resource and meeting.agenda_items.get(text="Waiver questions").resource \
        == resource
    assert "https://ex.org/j1" in client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    foreign = Resource.objects.create(topic="wellbeing", title="Elsewhere", url="https://ex.org/o",
                                      description="d", program=cast["other_program"])
    with pytest.raises(ValidationError):
        services.homework_add(meeting=meeting, by=cast["mentor_a"], text="x", resource=foreign)


def test_agenda_items_link_to_ilp_goals_through_the_hook(cast, meeting, monkeypatch):
    from mentora.meetings import goals

    monkeypatch.setattr(goals, "goal_choices", lambda *, mentee_id: [(41, "Pass Step 3 by June")]
                        if mentee_id == cast["mentee_a"].pk else [])
    item = services.agenda_item_add(meeting=meeting, by=cast["mentee_a"], text="Step 3 plan", goal_id=41)
    assert item.goal_id == 41
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, by=cast["mentee_a"], text="Other", goal_id=99)
