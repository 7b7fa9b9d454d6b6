"""The review loop tells the other side: sign-off, comments, changes asked for and made, a plan reopened.
Submitting and signing off warn, with the coach's hints, when goals are not yet S.M.A.R.T."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mentora.ilps import services
from mentora.ilps.models import GoalChangeRequest, LearningPlan
from mentora.notifications.models import Notification

WEAK_GOAL = "Get better at research"


def _notices(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).order_by("pk"))


@pytest.fixture
def submitted(plan_a, cast):
    return services.plan_submit(plan=plan_a, by=cast["mentee_a"])


@pytest.mark.django_db(transaction=True)
def test_sign_off_tells_the_mentee_in_mentora_and_by_email(submitted, cast, mailoutbox):
    services.plan_sign_off(plan=submitted, mentor=cast["mentor_a"], note="A strong plan.")
    [notice] = _notices(cast["mentee_a"], "ilp_signed_off")
    assert notice.in_app and notice.url.startswith(reverse("ilps:ilp_detail", args=[submitted.pk]))
    assert cast["mentor_a"].display_name in notice.title and notice.body == "A strong plan."
    assert any(m.to == [cast["mentee_a"].email] and "signed off your learning plan" in m.subject for m in mailoutbox)


@pytest.mark.django_db
def test_comments_reach_the_other_side(submitted, cast):
    goal = submitted.goals.get()
    services.goal_comment_add(goal=goal, author=cast["mentor_a"], body="Which meeting exactly?")
    [to_mentee] = _notices(cast["mentee_a"], "goal_comment")
    assert "Which meeting exactly?" in to_mentee.body
    assert _notices(cast["mentor_a"], "goal_comment") == []
    services.goal_comment_add(goal=goal, author=cast["mentee_a"], body="The regional ACP meeting in April.")
    [to_mentor] = _notices(cast["mentor_a"], "goal_comment")
    assert "regional ACP" in to_mentor.body and to_mentor.url.endswith(f"#goal-{goal.pk}")


@pytest.mark.django_db
def test_a_reopened_plan_tells_the_mentor(submitted, cast):
    services.plan_sign_off(plan=submitted, mentor=cast["mentor_a"])
    goal = submitted.goals.get()
    services.goal_update(goal=goal, by=cast["mentee_a"], data={"measure": "Two posters and one talk"})
    [notice] = _notices(cast["mentor_a"], "ilp_reopened")
    assert "sign it off again" in notice.title and "A goal changed" in notice.body
    assert LearningPlan.objects.get(pk=submitted.pk).status == "submitted"


@pytest.mark.django_db
def test_changes_asked_on_a_goal_reach_the_mentee_and_the_revision_reaches_the_mentor(submitted, cast, client):
    goal = submitted.goals.get()
    with pytest.raises(ValidationError):
        services.goal_changes_request(goal=goal, by=cast["mentor_a"], comment="   ")
    with pytest.raises(PermissionDenied):
        services.goal_changes_request(goal=goal, by=cast["other_mentor"], comment="Name the meeting")
    request = services.goal_changes_request(goal=goal, by=cast["mentor_a"], comment="Name the meeting and the date")
    with pytest.raises(ValidationError):  # one open request per goal
        services.goal_changes_request(goal=goal, by=cast["mentor_a"], comment="Again")
    [notice] = _notices(cast["mentee_a"], "ilp_changes_requested")
    assert notice.body == "Name the meeting and the date" and notice.url.endswith(f"#goal-{goal.pk}")

    client.force_login(cast["mentee_a"])
    html = client.get(reverse("ilps:ilp_detail", args=[submitted.pk])).content.decode()
    assert 'data-change-request="open"' in html and "Name the meeting and the date" in html
    assert "Changes requested on 1 goal" in html

    services.goal_update(goal=goal, by=cast["mentee_a"], data={
        "statement": "Present two heart failure case reports at the regional ACP meeting on 30 April"})
    request.refresh_from_db()
    assert request.resolved_at is not None and request.resolved_by == cast["mentee_a"]
    [made] = _notices(cast["mentor_a"], "ilp_changes_requested")
    assert "revised the goal you asked to change" in made.title
    html = client.get(reverse("ilps:ilp_detail", args=[submitted.pk])).content.decode()
    assert 'data-change-request="open"' not in html and "Revised (version 2)" in html


@pytest.mark.django_db
def test_changes_are_asked_only_while_the_plan_waits_for_sign_off(plan_a, cast):
    goal = plan_a.goals.get()
    with pytest.raises(ValidationError, match="waits for sign-off"):
        services.goal_changes_request(goal=goal, by=cast["mentor_a"], comment="Too early")


@pytest.mark.django_db
def test_the_change_request_page(submitted, cast, client):
    goal = submitted.goals.get()
    url = reverse("ilps:ilp_goal_request_changes", args=[goal.pk])
    client.force_login(cast["mentee_a"])
    assert client.post(url, {"comment": "x"}).status_code == 403
    client.force_login(cast["mentor_a"])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 400 and "Say what to change" in response.content.decode()
    response = client.post(url, {"comment": "Name the meeting"})
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.pk}")
    assert GoalChangeRequest.objects.get(goal=goal).comment == "Name the meeting"


@pytest.mark.django_db
def test_submitting_a_weak_goal_warns_with_the_coach_hints_then_goes_through_on_confirm(plan_a, cast, client):
    services.goal_create(plan=plan_a, by=cast["mentee_a"], data={
        "statement": WEAK_GOAL, "target_date": timezone.localdate() + datetime.timedelta(days=90),
        "domain": "research"})
    client.force_login(cast["mentee_a"])
    url = reverse("ilps:ilp_submit", args=[plan_a.pk])
    response = client.post(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Not yet S.M.A.R.T." in html and WEAK_GOAL in html
    assert 'class="smart-hint"' in html and "Submit anyway" in html
    assert "regional ACP" not in html  # the goal that passes is not listed
    assert LearningPlan.objects.get(pk=plan_a.pk).status == "draft"
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert LearningPlan.objects.get(pk=plan_a.pk).status == "submitted"


@pytest.mark.django_db
def test_a_plan_of_smart_goals_is_submitted_without_a_warning(plan_a, cast, client):
    client.force_login(cast["mentee_a"])
    assert client.post(reverse("ilps:ilp_submit", args=[plan_a.pk])).status_code == 302
    assert LearningPlan.objects.get(pk=plan_a.pk).status == "submitted"


@pytest.mark.django_db
def test_signing_off_a_weak_goal_warns_then_goes_through_on_confirm(plan_a, cast, client):
    services.goal_create(plan=plan_a, by=cast["mentee_a"], data={
        "statement": WEAK_GOAL, "target_date": timezone.localdate() + datetime.timedelta(days=90),
        "domain": "research"})
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    client.force_login(cast["mentor_a"])
    url = reverse("ilps:ilp_sign_off", args=[plan_a.pk])
    html = client.post(url, {"note": "Fine by me"}).content.decode()
    assert "Not yet S.M.A.R.T." in html and WEAK_GOAL in html and "Ask for changes to this goal" in html
    assert 'name="note" value="Fine by me"' in html
    assert LearningPlan.objects.get(pk=plan_a.pk).status == "submitted"
    assert client.post(url, {"note": "Fine by me", "confirm": "yes"}).status_code == 302
    plan = LearningPlan.objects.get(pk=plan_a.pk)
    assert plan.status == "approved" and plan.sign_offs.get().note == "Fine by me"


@pytest.mark.django_db
def test_sign_off_settles_open_change_requests(submitted, cast):
    goal = submitted.goals.get()
    request = services.goal_changes_request(goal=goal, by=cast["mentor_a"], comment="Name the date")
    services.plan_sign_off(plan=submitted, mentor=cast["mentor_a"])
    request.refresh_from_db()
    assert request.resolved_at is not None and request.resolution == "Signed off as it is"
