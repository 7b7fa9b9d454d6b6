"""A program's email wording and a person's confidential records over the API: the pages' services and rules."""

import pytest

from mentora.audit.models import AccessLog, ConfidentialNote
from mentora.notifications.models import EmailTemplate


def _post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


@pytest.mark.django_db
def test_a_program_words_its_emails_previews_and_resets(cast, client):
    url = f"/api/notifications/programs/{cast['program'].pk}/emails"
    client.force_login(cast["coordinator"])
    kinds = client.get(url).json()
    assert [k["kind"] for k in kinds] == ["invitation", "nudge", "reminder"] and not any(k["own"] for k in kinds)
    preview = _post(client, f"{url}/nudge/preview", {"subject": "Hello {{ person_name }}", "body": "Please {{ what }}"})
    assert preview.status_code == 200 and "{{" not in preview.json()["subject"]
    assert not EmailTemplate.objects.exists()  # a preview saves nothing
    saved = client.put(f"{url}/nudge", data={"subject": "Hello  {{ person_name }}", "body": "Please {{ what }}."},
                       content_type="application/json").json()
    assert saved["own"] is True and saved["subject"] == "Hello {{ person_name }}"
    refused = client.put(f"{url}/nudge", data={"subject": "{{ secret_key }}", "body": "x"},
                         content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["location"] == "body.subject"
    assert client.get(f"{url}/nudge").json()["subject"] == "Hello {{ person_name }}"
    assert client.delete(f"{url}/nudge").status_code == 204
    assert client.get(f"{url}/nudge").json()["own"] is False
    assert client.get(f"{url}/no-such-kind").status_code == 422


@pytest.mark.django_db
def test_confidential_records_need_a_reason_that_is_logged(cast, client):
    person = cast["mentee_a"]
    client.force_login(cast["coordinator"])
    written = _post(client, f"/api/privacy/people/{person.pk}/confidential-notes",
                    {"kind": "wellbeing", "text": "Asked for a lighter rota."})
    assert written.status_code == 201 and written.json()["program_id"] == cast["program"].pk
    assert _post(client, f"/api/privacy/people/{person.pk}/confidential-notes",
                 {"kind": "gossip", "text": "x"}).status_code == 422
    url = f"/api/privacy/people/{person.pk}/confidential-records"
    assert _post(client, url, {"reason": ""}).status_code == 422
    assert not AccessLog.objects.exists()
    opened = _post(client, url, {"reason": "Preparing the wellbeing check-in"}).json()
    assert [n["text"] for n in opened["notes"]] == ["Asked for a lighter rota."]
    log = AccessLog.objects.get()
    assert (log.actor, log.subject, log.reason) == (cast["coordinator"], person, "Preparing the wellbeing check-in")
    client.force_login(person)  # the person reads their own at once, unlogged, and sees who looked
    assert len(_post(client, url).json()["notes"]) == 1
    assert AccessLog.objects.count() == 1
    assert client.get("/api/privacy/access-log").json()["items"][0]["reason"] == "Preparing the wellbeing check-in"
    assert ConfidentialNote.objects.count() == 1
