"""Time zones are chosen from IANA's list: "Mars/Olympus" is refused by the profile form, the profile
service, the meeting services and the directory API, and a zone saved before the check never turns into
the list's first entry (Africa/Abidjan) when a meeting is scheduled."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentora.core.time_zones import is_time_zone
from mentora.profiles.models import Profile
from mentora.profiles.services import profile_update
from tests.factories import UserFactory

from .test_views import profile_post


def test_only_iana_zones_people_live_in():
    assert is_time_zone("America/Chicago") and is_time_zone("Asia/Kolkata") and is_time_zone("UTC")
    for name in ("Mars/Olympus", "", "EST", "america/chicago", "Etc/GMT+5"):
        assert not is_time_zone(name), name


@pytest.mark.django_db
def test_the_profile_form_refuses_an_unknown_zone(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("profiles:profile_edit"), profile_post(**{"profile-time_zone": "Mars/Olympus"}))
    assert response.status_code == 200 and "Mars/Olympus" in response.content.decode()
    assert Profile.objects.filter(user=user, time_zone="Mars/Olympus").count() == 0
    html = client.get(reverse("profiles:profile_edit")).content.decode()
    assert '<optgroup label="America">' in html and 'data-time-zone-from-browser="America/New_York"' in html
    assert "mentora/time-zone.js" in html


@pytest.mark.django_db
def test_the_profile_service_refuses_an_unknown_zone():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        profile_update(person=user, profile_data={"time_zone": "Mars/Olympus"}, by=user)
    assert "time_zone" in error.value.message_dict


@pytest.mark.django_db
def test_a_zone_saved_before_the_check_does_not_become_abidjan(client, cast):
    from mentora.relationships.models import Relationship

    Profile.objects.update_or_create(user=cast["mentor_a"], defaults={"time_zone": "Mars/Olympus"})
    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    client.force_login(cast["mentor_a"])
    html = client.get(reverse("meetings:relationship_detail", args=[relationship.pk])).content.decode()
    assert '<option value="America/New_York" selected>' in html
    assert '<option value="Africa/Abidjan" selected>' not in html


@pytest.mark.django_db
def test_the_directory_api_refuses_an_unknown_zone(client):
    client.force_login(UserFactory())
    response = client.get("/api/directory/mentors", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 400 and "time_zone" in response.content.decode()
    assert client.get("/api/directory/mentors", {"time_zone": "America/Chicago"}).status_code == 200


@pytest.mark.django_db
def test_the_meetings_api_refuses_an_unknown_zone(client, cast):
    from mentora.relationships.models import Relationship

    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    client.force_login(cast["mentor_a"])
    response = client.post(f"/api/mentoring/relationships/{relationship.pk}/meetings", {
        "starts_at": "2030-01-10T15:00:00Z", "time_zone": "Mars/Olympus", "duration_minutes": 30, "mode": "video",
        "video_url": "https://meet.example.org/a"}, content_type="application/json")
    assert response.status_code in (400, 422) and "time zone" in response.content.decode().lower()
