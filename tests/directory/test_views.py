import pytest
from django.urls import reverse

from mentora.directory import services
from mentora.directory.models import MentorshipRequest
from mentora.relationships.models import Relationship

from .helpers import consent, make_mentor, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    mentor = make_mentor(name="Dr Mentor", research="heart failure", country="IN")
    mentee = make_person(name="Mentee A", research="heart failure", country="IN")
    other = make_person(name="Mentee B")
    consent(mentee, gender="woman", race_ethnicity="asian", concordance_wanted=["gender"])
    return {"mentor": mentor, "mentee": mentee, "other": other}


def test_pages_need_login(client):
    for name in ("directory:directory", "directory:recommended", "directory:match_preferences",
                 "directory:mentoring_team", "directory:request_list", "directory:referral_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_request_journey_through_the_pages(client, people):
    mentor, mentee = people["mentor"], people["mentee"]
    client.force_login(mentee)
    page = client.get(reverse("directory:directory"), {"q": "heart"}).content.decode()
    assert "Dr Mentor" in page and reverse("directory:request_new", args=[mentor.pk]) in page
    response = client.post(reverse("directory:request_new", args=[mentor.pk]), {"kind": "career", "why": "", "hopes": ""})
    assert response.status_code == 200 and not MentorshipRequest.objects.exists()  # form errors, nothing written
    response = client.post(reverse("directory:request_new", args=[mentor.pk]),
                           {"kind": "career", "why": "Heart failure", "hopes": "A first paper"})
    request = MentorshipRequest.objects.get()
    assert response["Location"] == reverse("directory:request_detail", args=[request.pk])
    # The mentee cannot accept their own request.
    client.post(reverse("directory:request_answer", args=[request.pk, "accept"]))
    assert not Relationship.objects.exists()
    client.force_login(mentor)
    client.post(reverse("directory:request_answer", args=[request.pk, "accept"]), {"note": "Welcome"})
    assert Relationship.objects.get().mentee == mentee
    client.force_login(mentee)
    assert "Dr Mentor" in client.get(reverse("directory:mentoring_team")).content.decode()
    assert "Dr Mentor" in client.get(reverse("home:home")).content.decode()


def test_a_mentee_never_sees_another_mentees_requests_or_preferences(client, people):
    request = services.request_create(by=people["mentee"], mentor=people["mentor"], kind="career",
                                      why="Secret reason", hopes="Secret hopes")
    services.preferences_update(by=people["mentee"], weights={"languages": 5}, concordance_wanted=["gender"])
    client.force_login(people["other"])
    assert client.get(reverse("directory:request_detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("directory:request_answer", args=[request.pk, "withdraw"])).status_code == 404
    assert "Secret reason" not in client.get(reverse("directory:request_list")).content.decode()
    form = client.get(reverse("directory:match_preferences")).context["form"]
    assert form.instance.user == people["other"] and form.instance.languages == 1  # their own defaults
    assert "concordance_wanted" not in form.fields  # B recorded no attributes, sees none of A's
    # The recommendations of another mentee never show their sensitive values either.
    page = client.get(reverse("directory:recommended")).content.decode()
    assert "woman" not in page.lower() and "asian" not in page.lower()


def test_declined_request_shows_next_steps(client, people):
    request = services.request_create(by=people["mentee"], mentor=people["mentor"], kind="career",
                                      why="w", hopes="h")
    services.request_decline(request_id=request.pk, by=people["mentor"], note="Full this year")
    client.force_login(people["mentee"])
    page = client.get(reverse("directory:request_detail", args=[request.pk])).content.decode()
    assert "What you can do next" in page and reverse("directory:referral_new") in page
    client.force_login(people["mentor"])
    assert "What you can do next" not in client.get(reverse("directory:request_detail", args=[request.pk])).content.decode()


def test_recommended_page_shows_reasons_and_sensitive_only_as_concordance(client, people):
    mentor = people["mentor"]
    consent(mentor, gender="woman", gender_visibility="directory", concordance_consent=["gender"])
    client.force_login(people["mentee"])
    page = client.get(reverse("directory:recommended")).content.decode()
    assert "Dr Mentor" in page and "Both trained in India" in page
    assert "Matches a concordance you asked for" in page
    assert "woman" not in page.lower()


def test_preferences_form_saves_and_rejects_bad_weights(client, people):
    client.force_login(people["mentee"])
    data = {"specialty": 0, "research_interests": 5, "career_tracks": 2, "img_background": 1, "country": 1,
            "languages": 3, "concordance": 3, "concordance_wanted": ["gender"]}
    assert client.post(reverse("directory:match_preferences"), {**data, "languages": 9}).status_code == 200
    response = client.post(reverse("directory:match_preferences"), data)
    assert response.status_code == 302
    assert people["mentee"].match_preferences.research_interests == 5


def test_referral_queue_only_for_the_networks_coordinators(client, people):
    from tests.factories import NetworkFactory

    network, other_network = NetworkFactory(), NetworkFactory()
    coordinator, outsider = make_person(name="Coordinator"), make_person(name="Outsider")
    network.coordinators.add(coordinator)
    other_network.coordinators.add(outsider)
    referral = services.referral_create(by=people["mentee"], network=network, kind="career",
                                        looking_for="A cardiologist")
    client.force_login(outsider)
    assert client.get(reverse("directory:referral_detail", args=[referral.pk])).status_code == 404
    assert "A cardiologist" not in client.get(reverse("directory:referral_list")).content.decode()
    client.force_login(people["other"])
    assert client.get(reverse("directory:referral_detail", args=[referral.pk])).status_code == 404
    client.force_login(coordinator)
    page = client.get(reverse("directory:referral_detail", args=[referral.pk])).content.decode()
    assert "Dr Mentor" in page  # the engine's candidates
    client.post(reverse("directory:referral_detail", args=[referral.pk]), {"mentors": [people["mentor"].pk], "note": "Try"})
    referral.refresh_from_db()
    assert referral.status == "proposed"
    client.force_login(people["mentee"])
    client.post(reverse("directory:referral_pick", args=[referral.pk]),
                {"mentor": people["mentor"].pk, "why": "Proposed", "hopes": "Plan"})
    assert MentorshipRequest.objects.get().referral == referral


def test_recommended_page_ranks_a_fuller_profile_above_a_just_imported_sparse_one(client):
    """A mentor known only by a specialty is no evidence of fit on the rest: a mentor who shares the
    specialty and more is recommended first, and the sparse one no longer scores 70."""
    from mentora.directory import matching
    from mentora.profiles.models import Profile

    mentee = make_person(name="Mentee Sparse Test", country="IN", languages=["en", "ta"], tracks=["research"],
                         img_status="non_us_img")
    sparse = make_mentor(name="Dr Only Specialty", languages=(), modes=(), time_zone="", years=None)
    Profile.objects.filter(user=sparse).update(training_level="")
    assert matching.mentor_entry(sparse, capacity=1)["attributes"] == {"specialty": "internal_medicine"}
    fuller = make_mentor(name="Dr Fuller Profile", country="PK", img_status="us_grad", time_zone="America/Chicago")
    client.force_login(mentee)
    page = client.get(reverse("directory:recommended")).content.decode()
    assert page.index("Dr Fuller Profile") < page.index("Dr Only Specialty")
    ranked = {row["mentor"]: row["score"] for row in matching.recommendations_for(mentee)}
    assert ranked[fuller.pk] > ranked[sparse.pk]
    assert ranked[sparse.pk] < 50


def test_a_mentor_in_utc_keeps_their_time_zone_in_the_engine(client):
    """UTC (offset 0) is a time zone: it reaches the engine, and a mentee at UTC sees "Same time zone"."""
    from mentora.directory import matching

    mentor = make_mentor(name="Dr Accra Zone", time_zone="Africa/Accra", languages=(), modes=())
    assert matching.mentor_entry(mentor, capacity=1)["attributes"]["utc_offset"] == 0.0
    mentee = make_person(name="Mentee Dakar Zone", time_zone="Africa/Dakar", languages=())
    assert matching.mentee_entry(mentee)["attributes"]["utc_offset"] == 0.0
    row = next(r for r in matching.recommendations_for(mentee) if r["mentor"] == mentor.pk)
    assert "Same time zone" in [reason["text"] for reason in row["reasons"]]
