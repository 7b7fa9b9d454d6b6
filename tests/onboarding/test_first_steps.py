"""First steps: a checklist per role that ticks itself from what the person did and can be put away, and
the profile completeness meter that says what each missing part changes."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mentora.core.export_registry import export_person
from mentora.directory import services as directory_services
from mentora.directory.models import MatchPreferences
from mentora.ilps import services as ilp_services
from mentora.onboarding.models import FirstSteps
from mentora.onboarding.selectors import first_steps
from mentora.onboarding.services import first_steps_dismiss
from mentora.privacy.services import person_erase
from mentora.profiles.models import MentorOffer, Profile
from mentora.profiles.selectors import profile_completeness

pytestmark = pytest.mark.django_db


def steps_of(user, role: str) -> dict[str, bool]:
    for checklist in first_steps(user=user):
        if checklist.role == role:
            return {step.key: step.done for step in checklist.steps}
    return {}


def test_a_new_mentee_sees_four_steps_none_done_on_home(client, cast):
    mentee = cast["mentee_b"]
    assert steps_of(mentee, "mentee") == {"profile": False, "what_matters": False, "goals": False, "mentor": False}
    assert steps_of(mentee, "mentor") == {}
    client.force_login(mentee)
    page = client.get(reverse("home:home")).content.decode()
    assert 'data-testid="first-steps-mentee"' in page and "0 of 4 done" in page
    assert 'data-testid="first-steps-mentor"' not in page


def test_the_mentee_steps_tick_themselves_from_real_data(client, cast):
    mentee, mentor = cast["mentee_b"], cast["mentor_a"]
    Profile.objects.filter(user=mentee).update(specialty="internal_medicine", training_level="pgy1",
                                               research_interests="sepsis")
    assert steps_of(mentee, "mentee")["profile"] is True
    MatchPreferences.objects.create(user=mentee)
    assert steps_of(mentee, "mentee")["what_matters"] is True
    plan = ilp_services.plan_create(mentee=mentee, career_vision="Hospitalist")
    assert steps_of(mentee, "mentee")["goals"] is False  # a plan without goals is not yet goals
    ilp_services.goal_create(plan=plan, by=mentee, data={
        "statement": "Present one case report at the regional meeting by 30 April", "measure": "Poster",
        "target_date": timezone.localdate() + datetime.timedelta(days=120), "domain": "research"})
    assert steps_of(mentee, "mentee") == {"profile": True, "what_matters": True, "goals": True, "mentor": False}
    client.force_login(mentee)
    assert "3 of 4 done" in client.get(reverse("home:home")).content.decode()
    directory_services.request_create(by=mentee, mentor=mentor, kind="career", why="Sepsis", hopes="A paper")
    # all four done: the checklist has done its work and goes
    assert first_steps(user=mentee) == []
    assert 'data-testid="first-steps-mentee"' not in client.get(reverse("home:home")).content.decode()


def test_the_mentor_steps_tick_from_the_offer_and_the_profile(client, cast):
    mentor = cast["other_mentor"]
    MentorOffer.objects.filter(user=mentor).update(kinds_offered=[], availability="")
    assert steps_of(mentor, "mentor") == {"profile": False, "offer": False, "availability": False}
    MentorOffer.objects.filter(user=mentor).update(kinds_offered=["career"])
    Profile.objects.filter(user=mentor).update(headline="Hospitalist", specialty="internal_medicine",
                                               interest_tags=["sepsis"])
    assert steps_of(mentor, "mentor") == {"profile": True, "offer": True, "availability": False}
    MentorOffer.objects.filter(user=mentor).update(availability="Tuesday evenings, Eastern time")
    assert steps_of(mentor, "mentor")["availability"] is False  # and how: meeting modes
    Profile.objects.filter(user=mentor).update(meeting_modes=["video"])
    assert steps_of(mentor, "mentor") == {}  # all done


def test_a_checklist_is_put_away_for_its_role_only(client, cast):
    mentee = cast["mentee_b"]
    MentorOffer.objects.create(user=mentee, kinds_offered=[])  # mentors too
    assert {c.role for c in first_steps(user=mentee)} == {"mentor", "mentee"}
    client.force_login(mentee)
    response = client.post(reverse("onboarding:first_steps_dismiss"), {"role": "mentee"})
    assert response.status_code == 302
    assert {c.role for c in first_steps(user=mentee)} == {"mentor"}
    page = client.get(reverse("home:home")).content.decode()
    assert 'data-testid="first-steps-mentee"' not in page and 'data-testid="first-steps-mentor"' in page


def test_an_unknown_role_is_refused_and_nothing_is_stored(client, cast):
    client.force_login(cast["mentee_b"])
    response = client.post(reverse("onboarding:first_steps_dismiss"), {"role": "coordinator"}, follow=True)
    assert "Choose the mentee" in response.content.decode()
    assert not FirstSteps.objects.exists()


def test_put_away_is_in_the_export_and_gone_after_erasure(cast):
    mentee = cast["mentee_b"]
    first_steps_dismiss(role="mentee", by=mentee)
    assert export_person(mentee)["first_steps"]["mentee_dismissed_at"] is not None
    person_erase(user=mentee)
    assert not FirstSteps.objects.filter(user=mentee).exists()


def test_completeness_explains_what_each_missing_part_changes(client, cast):
    mentor = cast["mentor_a"]
    Profile.objects.filter(user=mentor).update(specialty="", research_interests="", interest_tags=[], headline="")
    meter = profile_completeness(user=mentor)
    assert meter.as_mentor
    missing = {item.key: item.why for item in meter.missing}
    assert "recommended more accurately" in missing["specialty"]
    assert "photo" in missing and "availability" in missing
    assert 0 <= meter.percent < 100
    done = len(meter.items) - len(meter.missing)
    assert meter.percent == round(100 * done / len(meter.items))
    client.force_login(mentor)
    for url in (reverse("home:home"), reverse("profiles:profile_edit")):
        page = client.get(url).content.decode()
        assert f"Your profile is {meter.percent}% complete" in page
        assert "recommended more accurately" in page
        assert re.search(rf'<meter[^>]*value="{meter.percent}"', page)


def test_a_complete_profile_shows_no_meter(client, cast):
    from mentora.profiles.services import profile_photo_set
    from tests.profiles.test_photos import picture, upload

    mentee = cast["mentee_b"]
    Profile.objects.filter(user=mentee).update(specialty="internal_medicine", training_level="pgy1",
                                               research_interests="sepsis", career_tracks=["research"],
                                               languages=["en"])
    from tests.factories import ImgDetailsFactory

    ImgDetailsFactory(user=mentee, medical_school_country="IN")
    assert [item.key for item in profile_completeness(user=mentee).missing] == ["photo"]
    profile_photo_set(person=mentee, upload=upload(picture()), by=mentee)
    assert profile_completeness(user=mentee).complete
    client.force_login(mentee)
    assert 'data-testid="completeness"' not in client.get(reverse("home:home")).content.decode()
