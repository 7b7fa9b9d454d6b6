import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentora.audit.models import AccessLog, ConfidentialNote
from mentora.audit.selectors import change_history
from mentora.audit.services import access_log_record
from mentora.relationships.models import Relationship
from tests.factories import ImgDetailsFactory, SensitiveAttributesFactory


@pytest.fixture
def a_with_records(cast):
    a = cast["mentee_a"]
    SensitiveAttributesFactory(user=a, gender="woman", race_ethnicity="asian")
    ImgDetailsFactory(user=a, visa_status="j1", j1_waiver_plan="Conrad 30 in Ohio")
    ConfidentialNote.objects.create(subject=a, author=cast["coordinator"], program=cast["program"], kind="wellbeing",
                                    text="Night-float fatigue")
    return cast


def test_coordinator_must_give_a_reason_and_is_logged(client, a_with_records):
    cast = a_with_records
    a, coordinator = cast["mentee_a"], cast["coordinator"]
    url = reverse("audit:confidential_records", args=[a.pk])
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Conrad 30 in Ohio" not in page and "Night-float fatigue" not in page and "Asian" not in page
    assert 'name="reason"' in page
    assert AccessLog.objects.count() == 0

    blank = client.post(url, {"reason": "  "})
    assert blank.status_code == 422 and "Conrad 30 in Ohio" not in blank.content.decode()
    assert AccessLog.objects.count() == 0

    opened = client.post(url, {"reason": "Preparing the remediation meeting"}).content.decode()
    assert "Conrad 30 in Ohio" in opened and "Night-float fatigue" in opened and "Asian" in opened
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.subject, entry.reason) == (coordinator, a, "Preparing the remediation meeting")
    assert set(entry.records) == {"sensitive_attributes", "visa", "notes"}
    assert "Program coordinator" in entry.actor_role


def test_the_mentee_sees_who_looked_and_why(client, a_with_records):
    cast = a_with_records
    access_log_record(by=cast["coordinator"], subject=cast["mentee_a"], records=["visa"],
                      reason="Visa renewal letter for the GME office")
    access_log_record(by=cast["admin"], subject=cast["mentee_b"], records=["notes"], reason="Someone else's")
    client.force_login(cast["mentee_a"])
    page = client.get(reverse("audit:access_log_mine")).content.decode()
    assert "Visa renewal letter for the GME office" in page
    assert cast["coordinator"].full_name in page.replace("&#x27;", "'")
    assert "Visa and immigration details" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    api = client.get("/api/privacy/access-log").json()
    assert api["count"] == 1 and api["items"][0]["reason"] == "Visa renewal letter for the GME office"


def test_own_records_open_without_reason_and_without_log(client, a_with_records):
    client.force_login(a_with_records["mentee_a"])
    page = client.get(reverse("audit:confidential_records", args=[a_with_records["mentee_a"].pk])).content.decode()
    assert "Night-float fatigue" in page and "Conrad 30 in Ohio" in page
    assert AccessLog.objects.count() == 0


def test_a_reason_is_required_by_the_service_and_the_database(cast):
    with pytest.raises(ValidationError):
        access_log_record(by=cast["coordinator"], subject=cast["mentee_a"], records=["visa"], reason="why")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.create(actor=cast["coordinator"], actor_name="x", subject=cast["mentee_a"], reason="")
    assert AccessLog.objects.count() == 0


def test_coordinator_writes_a_note_that_is_kept_with_history(client, cast):
    client.force_login(cast["coordinator"])
    response = client.post(reverse("audit:confidential_note_create", args=[cast["mentee_a"].pk]),
                           {"kind": "remediation", "text": "Weekly check-ins with the APD"})
    assert response.status_code == 302
    note = ConfidentialNote.objects.get()
    assert (note.author, note.subject, note.kind) == (cast["coordinator"], cast["mentee_a"], "remediation")
    assert note.program == cast["program"]  # the program it was written in: only its coordinators read it
    assert note.history.get().history_user == cast["coordinator"]  # who, through the request middleware


def test_relationship_and_membership_changes_keep_who_when_what(cast):
    relationship = Relationship.objects.get(mentee=cast["mentee_a"])
    relationship._history_user = cast["coordinator"]
    relationship.status = "paused"
    relationship.save()
    history = change_history(instance=relationship)
    latest = history[0]
    assert latest["who"] == cast["coordinator"] and latest["kind"] == "changed"
    assert ("status", "active", "paused") in latest["changes"]
    assert history[-1]["kind"] == "created"

    membership = cast["mentee_b"].memberships.get()
    membership.training_level = "pgy2"
    membership.save()
    assert ("training_level", "pgy1", "pgy2") in change_history(instance=membership)[0]["changes"]


def test_relationship_history_records_the_request_user(client, cast):
    """Writes made during a request are attributed to the logged-in person (HistoryRequestMiddleware)."""
    from django.test import override_settings
    from django.urls import path

    from mentora.relationships.models import Relationship as Rel

    def pause(request):
        from django.http import HttpResponse

        rel = Rel.objects.get(mentee=cast["mentee_a"])
        rel.status = "paused"
        rel.save()
        return HttpResponse("ok")

    import mentora.config.urls as root

    urls = type("urls", (), {"urlpatterns": [path("pause/", pause), *root.urlpatterns]})
    with override_settings(ROOT_URLCONF=urls):
        client.force_login(cast["mentor_a"])
        assert client.get("/pause/").status_code == 200
    assert Rel.objects.get(mentee=cast["mentee_a"]).history.first().history_user == cast["mentor_a"]


def test_goal_and_plan_changes_keep_who_when_what(cast):
    from tests.ilps.factories import GoalFactory

    goal = GoalFactory(plan__mentee=cast["mentee_a"])
    goal._history_user = cast["mentor_a"]
    goal.measure = "Three posters presented"
    goal.save()
    latest = change_history(instance=goal)[0]
    assert latest["who"] == cast["mentor_a"] and latest["kind"] == "changed"
    assert ("measure", "Two posters presented", "Three posters presented") in latest["changes"]
    assert change_history(instance=goal.plan)[-1]["kind"] == "created"


@pytest.mark.parametrize("log", ["accesslog", "historicalrelationship"])
def test_the_admins_log_lists_count_the_whole_table_once(client, cast, log):
    """The access log and the change history only grow: each list page counts them once (for its pages),
    not a second time for a "N total" beside the filtered count."""
    from django.contrib import admin
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    model = next(m for m in admin.site._registry if m._meta.app_label == "audit" and m._meta.model_name == log)
    access_log_record(by=cast["coordinator"], subject=cast["mentee_a"], records=["visa"], reason="Visa letter")
    client.force_login(cast["admin"])
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse(f"admin:audit_{log}_changelist"))
    assert page.status_code == 200
    whole = f'SELECT COUNT(*) AS "__count" FROM "{model._meta.db_table}"'
    assert [q["sql"] for q in captured.captured_queries].count(whole) == 1
