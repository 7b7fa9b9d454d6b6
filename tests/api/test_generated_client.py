"""A client generated from /api/openapi.json by openapi-python-client (not written by hand) runs the whole
mentee–mentor journey against the live server: find a mentor, request, accept, agreement, a meeting with an
agenda item and an action item, a learning plan with a goal, submit, request changes, sign-off, feedback."""

import datetime
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

GENERATOR = shutil.which("openapi-python-client") or str(Path(sys.executable).parent / "openapi-python-client")


def _generate(live_server, tmp_path: Path):
    import httpx

    document = tmp_path / "openapi.json"
    document.write_bytes(httpx.get(f"{live_server.url}/api/openapi.json", timeout=30).content)
    subprocess.run([GENERATOR, "generate", "--path", str(document), "--output-path", str(tmp_path / "mentora_client"),
                    "--meta", "none"], check=True, capture_output=True, timeout=300)
    sys.path.insert(0, str(tmp_path))
    for name in [name for name in sys.modules if name == "mentora_client" or name.startswith("mentora_client.")]:
        del sys.modules[name]
    return importlib.import_module("mentora_client")


def _call(package, module: str, *args, **kwargs):
    """Call an operation of the generated client; fail with the problem document if it did not succeed."""
    operation = importlib.import_module(f"mentora_client.api.{module}")
    response = operation.sync_detailed(*args, **kwargs)
    assert 200 <= response.status_code < 300, f"{module}: {response.status_code} {response.content[:500]!r}"
    return response.parsed


@pytest.mark.skipif(not Path(GENERATOR).exists(), reason="openapi-python-client is not installed")
@pytest.mark.django_db(transaction=True)
def test_the_generated_client_runs_the_mentee_mentor_journey(cast, live_server, tmp_path, settings):
    from mentora.api.tokens import token_create
    from mentora.meetings.selectors import survey_questions

    settings.ALLOWED_HOSTS = ["*"]
    package = _generate(live_server, tmp_path)
    models = importlib.import_module("mentora_client.models")
    mentee, mentor = cast["mentee_b"], cast["mentor_a"]
    as_mentee = package.AuthenticatedClient(base_url=live_server.url, token=token_create(
        by=mentee, name="journey", scopes=["read", "write"])[1], raise_on_unexpected_status=True)
    as_mentor = package.AuthenticatedClient(base_url=live_server.url, token=token_create(
        by=mentor, name="journey", scopes=["read", "write"])[1], raise_on_unexpected_status=True)

    # Find a mentor and ask them.
    found = _call(package, "find_a_mentor.mentora_directory_api_mentor_search", client=as_mentee)
    assert mentor.pk in [item.id for item in found.items]
    request = _call(package, "mentorship_requests.mentora_directory_api_request_create", client=as_mentee,
                    body=models.RequestIn(mentor_id=mentor.pk, kind="career", why="Your fellowship advice",
                                          hopes="A plan for my cardiology application"))
    # The mentor accepts: the relationship starts.
    _call(package, "mentorship_requests.mentora_directory_api_request_accept", request.id, client=as_mentor,
          body=models.AnswerIn(note="Happy to"))
    relationships = _call(package, "mentoring.mentora_meetings_api_relationship_list", client=as_mentee,
                          status="active", role="mentee")
    [relationship] = [r for r in relationships.items if r.mentor_id == mentor.pk]

    # The agreement: the mentor writes it, the mentee confirms.
    _call(package, "mentoring.mentora_meetings_api_agreement_write", relationship.id, client=as_mentor,
          body=models.AgreementIn(kind="career", goals="Fellowship application by October", cadence_days=30,
                                  modes=["video"]))
    agreement = _call(package, "mentoring.mentora_meetings_api_agreement_confirm", relationship.id, client=as_mentee)
    assert agreement.mentee_confirmed and agreement.mentor_confirmed

    # A meeting with an agenda item and an action item.
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=5)
    meeting = _call(package, "mentoring.mentora_meetings_api_meeting_create", relationship.id, client=as_mentee,
                    body=models.MeetingIn(starts_at=starts, time_zone="America/Chicago"))
    _call(package, "mentoring.mentora_meetings_api_meeting_agenda_add", meeting.id, client=as_mentee,
          body=models.AgendaItemIn(text="My personal statement"))
    _call(package, "mentoring.mentora_meetings_api_action_item_create", relationship.id, client=as_mentor,
          body=models.ActionItemIn(text="Send the first draft", owner_id=mentee.pk,
                                   due_on=timezone.localdate() + datetime.timedelta(days=12), meeting_id=meeting.id))
    detail = _call(package, "mentoring.mentora_meetings_api_meeting_detail", meeting.id, client=as_mentor)
    assert [a.text for a in detail.agenda][-1] == "My personal statement"
    assert [a.text for a in detail.action_items] == ["Send the first draft"]

    # A learning plan with a goal; submitted; the mentor asks for a change; the mentee mends it; sign-off.
    plan = _call(package, "learning_plans.mentora_ilps_api_plan_create", client=as_mentee,
                 body=models.PlanIn(career_vision="Cardiology fellowship"))
    goal = _call(package, "learning_plans.mentora_ilps_api_goal_create", plan.id, client=as_mentee,
                 body=models.GoalIn(statement="Submit two case reports to the regional ACP meeting by 30 April",
                                    domain="research", measure="Two abstracts submitted",
                                    target_date=timezone.localdate() + datetime.timedelta(days=150)))
    _call(package, "learning_plans.mentora_ilps_api_plan_submit", plan.id, client=as_mentee)
    _call(package, "learning_plans.mentora_ilps_api_change_request_create", goal.id, client=as_mentor,
          body=models.ChangeRequestIn(comment="Name the two cases"))
    signed = _call(package, "learning_plans.mentora_ilps_api_plan_sign_off", plan.id, client=as_mentor,
                   body=models.SignOffIn(note="A clear plan"))
    assert signed is not None
    assert _call(package, "learning_plans.mentora_ilps_api_plan_detail", plan.id, client=as_mentee).status == "approved"

    # Feedback on the relationship.
    key = survey_questions(program_id=cast["program"].pk)[0]["key"]
    ratings = models.FeedbackInRatings()
    ratings.additional_properties = {key: 6}
    _call(package, "mentoring.mentora_meetings_api_relationship_feedback", relationship.id, client=as_mentee,
          body=models.FeedbackIn(ratings=ratings, comment="Very helpful"))
