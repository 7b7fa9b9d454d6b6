"""Withdrawing consent leaves no copy: the database is scanned, every text column of every table.

The attack (issue 13, item 7): eleven recommendation-cache rows (most already expired) still held a
withdrawn mentor's race and gender. Withdrawal now deletes every derived copy at once, and expired
cache rows are purged by the reminders scan (cron or the worker).
"""

import base64
import contextlib
import datetime
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mentora.directory import matching
from mentora.privacy.services import cache_purge_expired, sensitive_consent_withdraw
from mentora.profiles.models import Profile
from mentora.profiles.services import sensitive_attributes_update
from tests.directory.helpers import make_mentor, make_person

pytestmark = pytest.mark.django_db

# Values nobody else in the test database holds, so finding one anywhere points at this mentor.
WITHDRAWN = {"gender": "self_described", "race_ethnicity": "pacific_islander"}
WITHDRAWN_LABELS = ("Self-described", "Native Hawaiian or Pacific Islander")
OTHER_RACE = "middle_eastern_north_african"  # another mentor's, shown on their profile: must stay findable


def _texts(value) -> list[str]:
    """The text a column value holds, with database-cache values (base64 pickles) opened up."""
    if value is None or isinstance(value, int | float | bool | datetime.date | datetime.timedelta):
        return []
    if isinstance(value, memoryview | bytes | bytearray):
        raw = bytes(value)
        return [raw.decode("utf-8", "replace")]
    if isinstance(value, dict | list):
        return [json.dumps(value)]
    text = str(value)
    found = [text]
    with contextlib.suppress(ValueError):  # not base64: plain text only
        found.append(base64.b64decode(text, validate=True).decode("utf-8", "replace"))
    return found


def database_holding(*needles: str) -> list[str]:
    """Every `table.column` of every table (Django's cache table included) holding one of the needles."""
    needles_lower = [needle.lower() for needle in needles]
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names come from the database
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if any(needle in text.lower() for text in _texts(value) for needle in needles_lower):
                        found.add(f"{table}.{column}")
    return sorted(found)


@pytest.fixture
def withdrawing(django_capture_on_commit_callbacks):
    cache.clear()
    matching._local.update(key=None, entries=None, at=0.0)
    mentee = make_person(name="Asks For Concordance")
    mentor = make_mentor(name="Withdraws Consent")
    other = make_mentor(name="Keeps Consent")
    with django_capture_on_commit_callbacks(execute=True):
        sensitive_attributes_update(person=mentee, by=mentee, consent=True, data={
            "race_ethnicity": "black", "gender": "woman", "concordance_wanted": ["race_ethnicity"]})
        sensitive_attributes_update(person=mentor, by=mentor, consent=True, data={
            **WITHDRAWN, "gender_visibility": "directory", "race_ethnicity_visibility": "directory",
            "concordance_consent": ["gender", "race_ethnicity"]})
        sensitive_attributes_update(person=other, by=other, consent=True, data={
            "race_ethnicity": OTHER_RACE, "race_ethnicity_visibility": "directory",
            "concordance_consent": ["race_ethnicity"]})
    # Recommendations build and share the mentor side; profile edits move it to new versions, as a
    # busy day does: eleven times.
    for round_ in range(11):
        assert matching.recommendations_for(mentee)
        with django_capture_on_commit_callbacks(execute=True):
            Profile.objects.filter(user=other).first().save()  # any saved profile moves the version
        if round_ == 5:
            matching._local.update(key=None, entries=None, at=0.0)
    assert matching.recommendations_for(mentee)
    return {"mentee": mentee, "mentor": mentor, "other": other}


def test_withdrawal_removes_every_copy_at_once(withdrawing, django_capture_on_commit_callbacks):
    needles = (*WITHDRAWN.values(), *WITHDRAWN_LABELS)
    before = database_holding(*needles)
    # The scan sees the attributes row and the recommendation cache (it opens the cache's values).
    assert "profiles_sensitiveattributes.gender" in before and "mentora_cache.value" in before, before

    with django_capture_on_commit_callbacks(execute=True):
        sensitive_consent_withdraw(by=withdrawing["mentor"])

    assert database_holding(*needles) == []
    # The scan still finds what was not withdrawn, in the cache too once recommendations run again.
    assert matching.recommendations_for(withdrawing["mentee"])
    assert "mentora_cache.value" in database_holding(OTHER_RACE)


def test_withdrawal_on_the_privacy_page_removes_the_copies_too(client, withdrawing,
                                                               django_capture_on_commit_callbacks):
    client.force_login(withdrawing["mentor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:privacy_edit"), {  # the form as shown, consent unticked
            **WITHDRAWN, "gender_visibility": "directory", "race_ethnicity_visibility": "directory",
            "lgbtq_identity": "", "lgbtq_identity_visibility": "private",
            "concordance_consent": ["gender", "race_ethnicity"]})
    assert response.status_code == 302
    assert database_holding(*WITHDRAWN.values(), *WITHDRAWN_LABELS) == []


def _cache_rows() -> dict[str, datetime.datetime]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, expires FROM mentora_cache")
        return dict(cursor.fetchall())


def test_expired_cache_rows_are_purged_by_the_reminders_scan():
    cache.clear()
    cache.set("kept", "fresh", 600)
    for n in range(11):
        cache.set(f"stale-{n}", {"race_ethnicity": "pacific_islander", "id": f"u{n}"}, 600)
    past = timezone.now() - datetime.timedelta(minutes=5)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mentora_cache SET expires = %s WHERE cache_key LIKE %s",
                       [connection.ops.adapt_datetimefield_value(past), "%stale-%"])
    assert len(_cache_rows()) == 12

    call_command("reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - cron's command, output unused

    assert [key.rsplit(":", 1)[-1] for key in _cache_rows()] == ["kept"]
    assert cache.get("kept") == "fresh"
    assert cache_purge_expired() == 0  # idempotent: a second run finds nothing to do


def test_a_copy_built_while_consent_is_withdrawn_is_never_shared(withdrawing, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    """Another request was building the mentor side from the old data when the withdrawal committed:
    its copy serves that one answer and is deleted, not left in the cache."""
    cache.clear()
    matching._local.update(key=None, entries=None, at=0.0)
    build = matching._build_mentor_side

    def build_then_withdraw():
        entries = build()  # read before the withdrawal
        with django_capture_on_commit_callbacks(execute=True):
            sensitive_consent_withdraw(by=withdrawing["mentor"])
        return entries

    monkeypatch.setattr(matching, "_build_mentor_side", build_then_withdraw)
    assert matching.recommendations_for(withdrawing["mentee"])
    assert database_holding(*WITHDRAWN.values(), *WITHDRAWN_LABELS) == []
    assert matching._local["entries"] is None  # nor kept in this process's memory


def test_the_reminders_scan_skips_a_cache_table_that_does_not_exist():
    """An installation that never ran `mentora createcachetable` (or uses it for another cache) still
    gets its reminders: the purge has nothing to purge there, it does not stop the scan."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE mentora_cache")  # rolled back with the test

    assert cache_purge_expired() == 0
    call_command("reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - cron's command, output unused
