"""A program's own wording of its invitations, nudges and reminders: placeholders only, a preview, and
Mentora's defaults otherwise."""

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from mentora.dataio.invitations import account_invitation_send
from mentora.dataio.models import AccountInvitation
from mentora.ilps.services import compliance_nudge
from mentora.notifications.email_templates import program_email, render_email
from mentora.notifications.models import EmailTemplate, Notification
from tests.factories import UserFactory


@pytest.mark.parametrize("text", [
    "{% load static %}{% static 'x' %}", "{% include 'base.html' %}", "{{ person_name.password }}",
    "{{ secret_key }}", "{{ person_name|upper }}", "{% if person_name %}x{% endif %}", "{{ person_name",
    "{% debug %}",
])
def test_only_the_kinds_placeholders_are_allowed(text):
    with pytest.raises(ValidationError):
        render_email(kind="nudge", subject="Hello", body=text, values={"person_name": "Ana"})


def test_placeholders_are_filled_in_as_plain_text():
    subject, body = render_email(kind="nudge", subject="{{ program_name }}: {{ person_name }}",
                                 body="Dear {{ person_name }}, please {{ what }}.",
                                 values={"person_name": "Seán O'Brien <b>", "program_name": "IM", "what": "act"})
    assert subject == "IM: Seán O'Brien <b>" and body == "Dear Seán O'Brien <b>, please act."


def test_coordinator_previews_saves_and_resets_a_template(client, cast):
    client.force_login(cast["coordinator"])
    url = reverse("notifications:email_template_edit", args=[cast["program"].pk, "nudge"])
    assert "{{ program_name }}: your learning plan needs attention" in client.get(url).content.decode()
    preview = client.post(url, {"action": "preview", "subject": "Hi {{ person_name }}",
                                "body": "<script>alert(1)</script> {{ program_name }} asks you to {{ what }}."})
    html = preview.content.decode()
    assert preview.status_code == 200 and not EmailTemplate.objects.exists()
    assert "Hi Priya Raman" in html and f"{cast['program'].name} asks you to sign off" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    bad = client.post(url, {"action": "save", "subject": "Hi", "body": "{{ person_name.email }}"})
    assert bad.status_code == 422 and "is not a placeholder of this email" in bad.content.decode()
    assert not EmailTemplate.objects.exists()
    saved = client.post(url, {"action": "save", "subject": "{{ program_name }} needs your plan",
                              "body": "Dear {{ person_name }}, please {{ what }} this week."})
    assert saved.status_code == 302
    assert EmailTemplate.objects.get().updated_by == cast["coordinator"]
    client.post(url, {"action": "reset"})
    assert not EmailTemplate.objects.exists()


def test_only_the_programs_coordinators_edit_its_emails(client, cast):
    for person in ("other_coordinator", "mentor_a", "mentee_a"):
        client.force_login(cast[person])
        assert client.get(reverse("notifications:email_template_list", args=[cast["program"].pk])).status_code == 403
        assert client.post(reverse("notifications:email_template_edit", args=[cast["program"].pk, "nudge"]),
                           {"subject": "x", "body": "y"}).status_code == 403
    client.force_login(cast["coordinator"])
    assert client.get(reverse("notifications:email_template_edit", args=[cast["program"].pk, "spam"])).status_code == 404


def test_nudges_and_invitations_use_the_programs_wording_or_the_default(cast):
    program = cast["program"]
    default_subject, _ = program_email(program_id=program.pk, kind="nudge", values={"program_name": program.name})
    EmailTemplate.objects.create(program=program, kind="nudge", subject="Plan time, {{ person_name }}",
                                 body="{{ program_name }}: please {{ what }}.")
    compliance_nudge(by=cast["coordinator"], program=program, mentee_ids=[cast["mentee_a"].pk], recipients="mentee")
    notice = Notification.objects.get(user=cast["mentee_a"], key__startswith="ilp-nudge")
    assert notice.title == f"Plan time, {cast['mentee_a'].display_name}"
    assert notice.body == f"{program.name}: please sign off a learning plan for this year."
    # another program keeps Mentora's wording
    assert default_subject == f"{program.name}: your learning plan needs attention"
    EmailTemplate.objects.create(program=program, kind="invitation", subject="Welcome to {{ program_name }}",
                                 body="Hello {{ person_name }}: {{ password_link }}")
    newcomer = UserFactory(full_name="New Comer")
    invitation = AccountInvitation.objects.create(user=newcomer, program=program)
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_invitation_send(invitation_id=invitation.pk)
    notice = Notification.objects.get(user=newcomer, kind="invitation")
    assert notice.title == f"Welcome to {program.name}" and notice.body.startswith("Hello New Comer: http")
