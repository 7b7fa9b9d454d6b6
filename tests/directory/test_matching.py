import pytest

from mentora.directory import matching
from mentora.directory.services import preferences_update
from mentora.matching import SENSITIVE_REASON
from tests.factories import RelationshipFactory

from .helpers import consent, make_mentor, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentee():
    return make_person(name="Priya", research="heart failure outcomes", languages=["en", "ta"], country="IN",
                       img_status="non_us_img", tracks=["research"])


def test_recommendations_rank_with_plain_reasons(mentee):
    best = make_mentor(name="Best", research="heart failure outcomes and readmissions", languages=["en", "ta"],
                       country="IN", img_status="non_us_img", tracks=["research"])
    make_mentor(name="Other", specialty="neurology", research="stroke", country="US", img_status="us_grad")
    ranked = matching.recommendations_for(mentee, limit=5)
    assert [row["mentor"] for row in ranked][0] == best.pk
    texts = [reason["text"] for reason in ranked[0]["reasons"]]
    assert "Both trained in India" in texts
    assert any("heart failure" in text for text in texts), texts
    assert ranked[0]["score"] > ranked[1]["score"]


def test_excludes_self_full_not_accepting_and_current_mentors(mentee):
    current = make_mentor(name="Current")
    RelationshipFactory(mentee=mentee, mentor=current)
    full = make_mentor(name="Full", capacity=1)
    RelationshipFactory(mentee=make_person(name="X"), mentor=full)
    make_mentor(name="Closed", accepting=False)
    open_mentor = make_mentor(name="Open")
    assert [row["mentor"] for row in matching.recommendations_for(mentee)] == [open_mentor.pk]


def test_preferences_change_the_ranking(mentee):
    same_language = make_mentor(name="Tamil speaker", specialty="neurology", languages=["en", "ta"])
    same_specialty = make_mentor(name="Internist", specialty="internal_medicine")
    top = matching.recommendations_for(mentee)[0]["mentor"]
    assert top == same_specialty.pk
    preferences_update(by=mentee, weights={"specialty": 0, "languages": 5})
    assert matching.recommendations_for(mentee)[0]["mentor"] == same_language.pk


def test_sensitive_attributes_enter_only_with_request_and_consent(mentee):
    consent(mentee, gender="woman", concordance_wanted=["gender"], race_ethnicity="asian")
    agreeing = make_mentor(name="Agrees", specialty="neurology")
    consent(agreeing, gender="woman", gender_visibility="directory", concordance_consent=["gender"],
            race_ethnicity="asian")
    silent = make_mentor(name="Did not agree", specialty="neurology")
    consent(silent, gender="woman", gender_visibility="directory", concordance_consent=[])
    entry = matching.mentee_entry(mentee)
    assert entry["attributes"]["gender"] == "woman"
    assert "race_ethnicity" not in entry["attributes"]  # not asked for
    assert "gender" not in matching.mentor_entry(silent, capacity=1)["attributes"]
    ranked = {row["mentor"]: row for row in matching.recommendations_for(mentee)}
    agreeing_texts = [r["text"] for r in ranked[agreeing.pk]["reasons"]]
    assert SENSITIVE_REASON in agreeing_texts
    assert not any("woman" in text.lower() or "asian" in text.lower() for text in agreeing_texts)
    assert SENSITIVE_REASON not in [r["text"] for r in ranked[silent.pk]["reasons"]]


def test_a_private_value_counts_for_program_staff_only(mentee):
    """A mentor who agreed to be matched on a value they keep private: batch matching may use it, a
    mentee's own recommendations never do."""
    consent(mentee, gender="woman", concordance_wanted=["gender"])
    for visibility in ("private", "mentors"):
        mentor = make_mentor(name=f"Private {visibility}", specialty="neurology")
        consent(mentor, gender="woman", gender_visibility=visibility, concordance_consent=["gender"])
        assert "gender" not in matching.mentor_entry(mentor, capacity=1)["attributes"]
        staff = matching.mentor_entry(mentor, capacity=1, audience=matching.PROGRAM_STAFF)["attributes"]
        assert staff["gender"] == "woman" and staff["concordance_consent"] == ["gender"]
        texts = [r["text"] for r in matching.pair_score(mentee, mentor, audience=matching.PROGRAM_STAFF)["reasons"]]
        assert SENSITIVE_REASON in texts
        assert SENSITIVE_REASON not in [r["text"] for r in matching.pair_score(mentee, mentor)["reasons"]]
    matching.mentor_side_changed()
    for row in matching.recommendations_for(mentee):
        assert SENSITIVE_REASON not in [r["text"] for r in row["reasons"]]


def test_no_consent_record_means_no_sensitive_attribute(mentee):
    from mentora.profiles.models import SensitiveAttributes

    consent(mentee, gender="woman", concordance_wanted=["gender"])
    SensitiveAttributes.objects.filter(user=mentee).update(consented_at=None)
    mentee.refresh_from_db()
    assert "gender" not in matching.mentee_entry(mentee)["attributes"]


def test_mentor_side_cache_follows_changes(mentee, django_capture_on_commit_callbacks):
    first = make_mentor(name="First")
    assert [r["mentor"] for r in matching.recommendations_for(mentee)] == [first.pk]
    with django_capture_on_commit_callbacks(execute=True):
        second = make_mentor(name="Second")  # saving a MentorOffer moves the cache version at commit
    assert {r["mentor"] for r in matching.recommendations_for(mentee)} == {first.pk, second.pk}


def test_prefilter_keeps_the_engines_best(mentee, monkeypatch):
    monkeypatch.setattr(matching, "PREFILTER_SIZE", 3)
    best = make_mentor(name="Best", research="heart failure outcomes", languages=["en", "ta"], country="IN",
                       img_status="non_us_img", tracks=["research"])
    for i in range(6):
        make_mentor(name=f"Far {i}", specialty="neurology", research="stroke", country="US", img_status="us_grad")
    ranked = matching.recommendations_for(mentee, limit=10)
    assert len(ranked) == 3 and ranked[0]["mentor"] == best.pk


def _varied_mentors(n: int):
    """Mentors covering what the mentor side reads: institution, IMG details or none, consented values shown
    or private, no consent record, a full mentor and one not accepting."""
    from tests.factories import InstitutionFactory

    institution = InstitutionFactory(name="Riverside University Hospital")
    mentors = []
    for i in range(n):
        mentor = make_mentor(name=f"Mentor {i}", capacity=1 + i % 3, research=f"topic{i % 4} outcomes research",
                             languages=["en", "ta", "es"][: 1 + i % 3], country=["", "IN", "MX"][i % 3],
                             img_status=["", "non_us_img", "us_img"][i % 3], tags=[f"tag{i % 5}"],
                             tracks=[["research"], ["education", "research"], []][i % 3],
                             institution=institution if i % 2 else None, accepting=i % 7 != 6, years=2 + i)
        if i % 4 == 1:
            consent(mentor, gender="woman", gender_visibility="directory", concordance_consent=["gender"],
                    race_ethnicity="asian")
        elif i % 4 == 2:
            consent(mentor, gender="man", gender_visibility="private", concordance_consent=["gender"])
        if i % 5 == 4:
            RelationshipFactory(mentee=make_person(name=f"Mentee of {i}"), mentor=mentor)
        mentors.append(mentor)
    return mentors


def test_the_mentor_side_read_as_columns_is_the_one_read_as_models():
    """The recommendations' mentor side is read column by column (fast at 12,000 mentors); it must be what the
    model-instance adapter gives, mentor for mentor."""
    from mentora.profiles.models import MentorOffer

    _varied_mentors(12)
    by_models = [e for e in matching.mentor_entries(MentorOffer.objects.filter(accepting_new_mentees=True))
                 if e["capacity"] > 0]
    by_columns = matching._build_mentor_side()
    assert len(by_columns) == len(by_models) >= 6
    strip = [{k: v for k, v in e.items() if k not in ("_words", "_tracks", "_languages", "_img")} for e in by_columns]
    assert sorted(strip, key=lambda e: e["id"]) == sorted(by_models, key=lambda e: e["id"])
    assert any("gender" in e["attributes"] for e in strip)  # a shown value is there,
    assert sum("gender" in e["attributes"] for e in strip) < sum(  # a private one is not
        "gender" in e["attributes"] for e in matching.mentor_entries(
            MentorOffer.objects.filter(accepting_new_mentees=True), audience=matching.PROGRAM_STAFF))


def test_the_mentor_side_counts_every_mentor_load_in_one_pass():
    """Loads come from one grouped read of the open relationships, not a lookup per mentor inside the query
    that reads the mentors (twice per mentor: to leave out the full ones, then to read the free places)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _varied_mentors(6)
    with CaptureQueriesContext(connection) as captured:
        entries = matching._build_mentor_side()
    assert entries
    mentors_read = [q["sql"] for q in captured.captured_queries if "profiles_mentoroffer" in q["sql"]]
    assert len(mentors_read) == 1
    assert "relationships_relationship" not in mentors_read[0]


def test_recommendations_cold_read_the_same_queries_at_two_sizes(mentee, client):
    """The page's queries, with every cache empty, do not grow with the number of mentors."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(mentee)
    counts = []
    for n in (2, 20):
        _varied_mentors(n)
        cache.clear()
        matching._local.update(key=None, entries=None, at=0.0)
        with CaptureQueriesContext(connection) as cold:
            assert client.get(reverse("directory:recommended")).status_code == 200
        counts.append(len(cold))
    assert counts[0] == counts[1]


def test_after_a_change_the_worker_builds_the_mentor_side(mentee, settings, django_capture_on_commit_callbacks):
    """The first recommendations after a change read no mentor: the worker built the new copy."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MENTORA_WARM_AHEAD = True
    first = make_mentor(name="First")
    assert [r["mentor"] for r in matching.recommendations_for(mentee)] == [first.pk]
    with django_capture_on_commit_callbacks(execute=True):
        second = make_mentor(name="Second")  # the immediate task backend runs the worker's task at commit
    matching._local.update(key=None, entries=None, at=0.0)  # as in another web process
    with CaptureQueriesContext(connection) as first_request:
        ranked = matching.recommendations_for(mentee)
    assert {r["mentor"] for r in ranked} == {first.pk, second.pk}
    assert not [q["sql"] for q in first_request.captured_queries if "profiles_mentoroffer" in q["sql"]]


def test_a_request_that_builds_the_mentor_side_leaves_sharing_it_to_the_worker(
        mentee, settings, django_capture_on_commit_callbacks):
    """With the worker warming ahead, the first request after the caches were cleared builds the mentor side
    for itself and queues the worker's warm-up, which shares it: the request writes no copy to the cache,
    and the next process reads the worker's copy instead of building one."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MENTORA_WARM_AHEAD = True
    mentor = make_mentor(name="Only")
    cache.clear()
    matching._local.update(key=None, entries=None, at=0.0)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert [r["mentor"] for r in matching.recommendations_for(mentee)] == [mentor.pk]
    assert cache.get(matching._side_key(matching._version())) is None
    assert queued  # the warm-up, queued after the request's transaction
    for callback in queued:
        callback()  # the immediate task backend runs the worker's warm-up
    assert cache.get(matching._side_key(matching._version())) is not None
    matching._local.update(key=None, entries=None, at=0.0)  # as in another web process
    with CaptureQueriesContext(connection) as next_request:
        assert [r["mentor"] for r in matching.recommendations_for(mentee)] == [mentor.pk]
    assert not [q["sql"] for q in next_request.captured_queries if "profiles_mentoroffer" in q["sql"]]


def test_without_a_worker_warming_ahead_the_request_shares_its_copy(mentee, settings):
    from django.core.cache import cache

    settings.MENTORA_WARM_AHEAD = False
    make_mentor(name="Only")
    cache.clear()
    matching._local.update(key=None, entries=None, at=0.0)
    matching.recommendations_for(mentee)
    assert cache.get(matching._side_key(matching._version())) is not None
