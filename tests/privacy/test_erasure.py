"""Erasure leaves no personal data in any table: every text and JSON column of every model is scanned."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from mentora.conflicts.services import evaluating_role_declare
from mentora.milestones.services import milestone_add
from mentora.notifications.services import notify
from mentora.privacy.models import PrivacyEvent
from mentora.privacy.services import data_policy_set, person_erase
from mentora.profiles.models import ImgDetails, Profile, SensitiveAttributes
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship

User = get_user_model()


def rows_containing(text: str) -> list[str]:
    """Every (model, column) whose text or JSON holds `text`, case-insensitively, across all models."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                if model._default_manager.filter(**{f"{field.attname}__icontains": text}).exists():
                    found.append(f"{model._meta.label}.{field.attname}")
            elif isinstance(field, models.JSONField):
                qs = model._default_manager.annotate(_t=Cast(field.attname, TextField()))
                if qs.filter(Q(_t__icontains=text)).exists():
                    found.append(f"{model._meta.label}.{field.attname}")
    return found


@pytest.fixture
def person(demo_network):
    """A demo mentee with everything a person leaves behind, and mentions of them in others' records."""
    mentee = User.objects.get(email="mentee@example.org")
    mentee.full_name = "Amara Okafor-Nwosu"
    mentee.preferred_name = "Amarachi"
    mentee.save()
    relationship = Relationship.objects.filter(mentee=mentee).select_related("mentor", "program").first()
    mentor = relationship.mentor
    relationship.closing_reason = "Amara Okafor-Nwosu asked to pause over exams"
    relationship.save()
    Profile.objects.filter(user=mentee).update(bio="I am Amarachi, reach me at mentee@example.org")
    ImgDetails.objects.update_or_create(user=mentee, defaults={"medical_school": "University of Lagos"})
    SensitiveAttributes.objects.update_or_create(user=mentee, defaults={"gender": "woman"})
    EmailAddress.objects.create(user=mentee, email=mentee.email, verified=True, primary=True)
    SocialAccount.objects.create(user=mentee, provider="riverside", uid="sub-amara",
                                 extra_data={"userinfo": {"email": mentee.email, "name": "Amara Okafor-Nwosu"}})
    notify(user=mentee, kind="privacy", key="k1", title="Hello Amarachi", body="...")
    notify(user=mentor, kind="message", key="k2", title="Message from Amara Okafor-Nwosu", body="About Step 3")
    milestone_add(by=mentee, template_key="usmle_step3", due_on=demo_network.today, note="Amarachi's exam")
    evaluating_role_declare(by=mentor, role="rotation_evaluator", mentee=mentee, note="Evaluates Amara Okafor-Nwosu")
    LogEntry.objects.create(user=mentor, content_type=ContentType.objects.get_for_model(User),
                            object_id=str(mentee.pk), object_repr="Amara Okafor-Nwosu", action_flag=CHANGE)
    return {"mentee": mentee, "mentor": mentor, "relationship": relationship}


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_personal_data_in_any_table(person):
    mentee = person["mentee"]
    names = ["Amara Okafor-Nwosu", "Amarachi", "mentee@example.org"]
    assert all(rows_containing(n) for n in names)  # the scan finds them before
    memberships_before = Membership.objects.count()
    relationships_before = Relationship.objects.count()
    users_before = User.objects.count()

    event = person_erase(user=mentee)

    for needle in names:
        assert rows_containing(needle) == [], needle
    # Aggregates are kept: the same number of people, memberships and relationships.
    assert (User.objects.count(), Membership.objects.count(), Relationship.objects.count()) == (
        users_before, memberships_before, relationships_before)
    # The mentor's record stays, closed and anonymised.
    kept = Relationship.objects.get(pk=person["relationship"].pk)
    assert kept.mentor == person["mentor"] and kept.status == "closed" and kept.closing_reason == ""
    mentee.refresh_from_db()
    assert not mentee.is_active and not mentee.has_usable_password() and mentee.full_name == "Erased person"
    assert not Profile.objects.filter(user=mentee).exists()
    assert not SensitiveAttributes.objects.filter(user=mentee).exists()
    assert not SocialAccount.objects.filter(user=mentee).exists()
    # Logged without personal data, and confirmed by email to the old address.
    assert event.action == PrivacyEvent.Action.ERASURE and PrivacyEvent.objects.filter(user=mentee).count() == 1
    confirmation = [m for m in mail.outbox if m.to == ["mentee@example.org"] and "erased" in m.subject]
    assert len(confirmation) == 1
    # The mentor was told, without the name.
    assert any(m.to == [person["mentor"].email] for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_erasure_twice_is_refused(person):
    from django.core.exceptions import ValidationError

    person_erase(user=person["mentee"])
    with pytest.raises(ValidationError):
        person_erase(user=User.objects.get(pk=person["mentee"].pk))


@pytest.mark.django_db(transaction=True)
def test_policy_can_drop_mentor_records_on_erasure(person):
    relationship = person["relationship"]
    data_policy_set(program=relationship.program, keep_records_on_leave=True, keep_mentor_records_on_erasure=False)
    person_erase(user=person["mentee"])
    assert not Relationship.objects.filter(pk=relationship.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_erasure_from_the_page_needs_the_typed_address(client, person):
    client.force_login(person["mentee"])
    wrong = client.post("/privacy/erase/", {"email": "someone@else.org"})
    assert wrong.status_code == 400 and User.objects.get(pk=person["mentee"].pk).is_active
    done = client.post("/privacy/erase/", {"email": "MENTEE@example.org"})
    assert done.status_code == 200 and b"erased" in done.content
    assert not User.objects.get(pk=person["mentee"].pk).is_active
    assert "_auth_user_id" not in client.session
