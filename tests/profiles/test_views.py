import pytest
from django.urls import reverse

from mentora.profiles.models import ImgDetails, MentorOffer, Profile, SensitiveAttributes
from tests.factories import ImgDetailsFactory, SensitiveAttributesFactory, UserFactory


def profile_post(**overrides):
    data = {
        "profile-full_name": "Amara Okafor",
        "profile-headline": "PGY-2, internal medicine",
        "profile-specialty": "internal_medicine",
        "profile-training_level": "pgy2",
        "profile-time_zone": "America/Chicago",
        "profile-languages": ["en", "yo"],
        "profile-career_tracks": ["research"],
        "profile-interest_tags": "Heart failure, QI, heart failure",
        "profile-orcid": "0000-0002-1825-0097",
        "img-medical_school_country": "NG",
        "img-img_status": "non_us_img",
        "img-usmle_step1": "passed",
        "img-usmle_step2_ck": "passed",
        "img-usmle_step3": "not_taken",
        "img-graduation_year": "2020",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_profile_edit_saves_profile_and_img_details(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("profiles:profile_edit"), profile_post())
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.languages == ["en", "yo"]
    assert profile.interest_tags == ["heart failure", "qi"]
    assert ImgDetails.objects.get(user=user).medical_school_country == "NG"
    user.refresh_from_db()
    assert user.full_name == "Amara Okafor"


@pytest.mark.django_db
def test_bad_input_gets_form_errors_and_nothing_is_saved(client):
    user = UserFactory(full_name="Before")
    client.force_login(user)
    response = client.post(
        reverse("profiles:profile_edit"),
        profile_post(**{"profile-orcid": "1234", "img-graduation_year": "1800", "profile-full_name": "After"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "An ORCID iD looks like" in html
    assert "graduation year between 1950 and 2040" in html
    user.refresh_from_db()
    assert user.full_name == "Before"
    assert not ImgDetails.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_mentor_sees_and_saves_their_offer(client, cast):
    client.force_login(cast["mentor_a"])
    response = client.get(reverse("profiles:profile_edit"))
    assert b"My mentoring offer" in response.content
    data = profile_post(**{"offer-capacity": "5", "offer-kinds_offered": ["research"],
                           "offer-accepting_new_mentees": "on"})
    assert client.post(reverse("profiles:profile_edit"), data).status_code == 302
    offer = MentorOffer.objects.get(user=cast["mentor_a"])
    assert (offer.capacity, offer.kinds_offered) == (5, ["research"])


@pytest.mark.django_db
def test_absurd_capacity_is_refused(client, cast):
    client.force_login(cast["mentor_a"])
    response = client.post(reverse("profiles:profile_edit"), profile_post(**{"offer-capacity": "500"}))
    assert response.status_code == 200
    assert "not realistic" in response.content.decode()


def test_other_mentee_gets_403_on_a_mentee_profile(client, cast):
    client.force_login(cast["mentee_b"])
    assert client.get(reverse("profiles:profile_detail", args=[cast["mentee_a"].pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("profiles:profile_detail", args=[cast["mentor_a"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_visa_details_not_rendered_for_mentor_without_permission(client, cast):
    ImgDetailsFactory(user=cast["mentee_a"], visa_status="j1", j1_waiver_plan="Conrad 30")
    client.force_login(cast["mentor_a"])
    html = client.get(reverse("profiles:profile_detail", args=[cast["mentee_a"].pk])).content.decode()
    assert "Conrad 30" not in html and "J-1" not in html
    client.force_login(cast["mentee_a"])
    html = client.get(reverse("profiles:profile_detail", args=[cast["mentee_a"].pk])).content.decode()
    assert "Conrad 30" in html


def test_private_sensitive_attribute_is_not_on_the_profile_page(client, cast):
    SensitiveAttributesFactory(user=cast["mentor_a"], race_ethnicity="hispanic_latino")
    client.force_login(cast["mentee_b"])
    html = client.get(reverse("profiles:profile_detail", args=[cast["mentor_a"].pk])).content.decode()
    assert "Hispanic" not in html


@pytest.mark.django_db
def test_privacy_consent_and_withdrawal(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("privacy:privacy_edit"), {
        "consent": "on", "gender": "woman", "gender_visibility": "private", "race_ethnicity": "",
        "race_ethnicity_visibility": "private", "lgbtq_identity": "", "lgbtq_identity_visibility": "private",
        "concordance_wanted": ["gender"],
    })
    assert response.status_code == 302
    attributes = SensitiveAttributes.objects.get(user=user)
    assert attributes.consented_at is not None and attributes.concordance_wanted == ["gender"]
    response = client.post(reverse("privacy:privacy_edit"), {
        "gender": "woman", "gender_visibility": "private", "race_ethnicity_visibility": "private",
        "lgbtq_identity_visibility": "private",
    })
    assert response.status_code == 302
    assert not SensitiveAttributes.objects.filter(user=user).exists()


@pytest.mark.parametrize("has_profile", [True, False])
def test_viewing_a_profile_writes_nothing(client, cast, has_profile):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mentor = cast["mentor_a"]
    if not has_profile:
        Profile.objects.filter(user=mentor).delete()
    for viewer in ("mentee_a", "mentor_a", "coordinator", "admin"):
        client.force_login(cast[viewer])
        for url in (reverse("profiles:profile_detail", args=[mentor.pk]), f"/api/people/{mentor.pk}"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, (viewer, url)
            writes = [q["sql"] for q in queries.captured_queries
                      if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
                      and "django_session" not in q["sql"]]
            assert writes == [], (viewer, url, writes)
    assert Profile.objects.filter(user=mentor).exists() is has_profile
