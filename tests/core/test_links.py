"""Every link field, model, form and API alike, takes http(s) addresses only.

The fields are found, not listed: every model field that is a URLField or whose name says it holds a
link, every form field that is a URLField, every property of an API request body whose name says
it holds a link.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

import mentora
from mentora.core.links import (
    WEB_LINK_MESSAGE,
    WebLinkFormField,
    clean_web_link,
    forget_links_other_than_web,
    validate_web_link,
)

BAD = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
       "vbscript:msgbox(1)", "ftp://files.example.org/x", "file:///etc/passwd", " javascript:alert(1)"]
GOOD = ["https://zoom.us/j/123?pwd=x", "http://example.org", "https://www.linkedin.com/in/priya-raman"]
LINK_NAME = re.compile(r"(^|_)(url|link|links|website|href|homepage)$")

# Fields whose name says "link" but that hold a path of this site, built by the code with reverse():
# notify() refuses anything else (tested below).
LOCAL_PATH_FIELDS = {"notifications.Notification.url"}


def _mentora_models():
    return [model for model in apps.get_models() if model.__module__.startswith("mentora.")]


def _link_fields():
    found = []
    for model in _mentora_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or field.is_relation:
                continue
            if isinstance(field, models.URLField) or LINK_NAME.search(field.name):
                found.append((f"{model._meta.label}.{field.name}", field))
    return found


def test_the_enumeration_finds_the_known_link_fields():
    names = {name for name, _field in _link_fields()}
    assert {"meetings.Meeting.video_url", "meetings.TimeProposal.video_url", "meetings.Resource.url",
            "profiles.Profile.linkedin_url", "programs.Network.website"} <= names


@pytest.mark.parametrize("name,field", _link_fields(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_link_field_of_every_model_takes_http_links_only(name, field):
    if name in LOCAL_PATH_FIELDS:
        return
    assert isinstance(field, models.URLField), f"{name} holds a link: make it a WebLinkField"
    for value in BAD:
        with pytest.raises(ValidationError) as refused:
            field.run_validators(value)
        assert refused.value.messages == [WEB_LINK_MESSAGE], name
    for value in GOOD:
        field.run_validators(value)
    form_field = field.formfield()
    assert isinstance(form_field, WebLinkFormField), name
    with pytest.raises(ValidationError):
        form_field.clean("javascript:alert(1)")
    assert form_field.clean("example.org/page") == "https://example.org/page"


def _form_classes():
    classes = []
    for info in pkgutil.walk_packages(mentora.__path__, "mentora."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                classes.append(value)
    return classes


def test_every_url_field_of_every_form_takes_http_links_only():
    checked = 0
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.URLField) or (LINK_NAME.search(name) and isinstance(field, forms.CharField)):
                assert isinstance(field, WebLinkFormField), f"{form_class.__name__}.{name}"
                for value in BAD:
                    with pytest.raises(ValidationError):
                        field.clean(value)
                checked += 1
    assert checked >= 7  # profile links, meeting and proposal video links, resource link


def _api_link_properties():
    from mentora.config.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "")
            properties = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}) if ref else {}
            for name, spec in properties.items():
                if LINK_NAME.search(name):
                    found.append((f"{method.upper()} {path}", name, spec))
    return found


def test_every_api_link_property_is_validated_and_documented():
    found = _api_link_properties()
    assert ("POST /api/mentoring/relationships/{relationship_id}/meetings", "video_url") in {
        (operation, name) for operation, name, _spec in found}
    for operation, name, spec in found:
        assert spec.get("type") == "string", (operation, name)


@pytest.fixture
def relationship(cast):
    from mentora.relationships.models import Relationship

    return Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])


def _soon() -> str:
    return (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0).isoformat()


def test_the_meetings_api_refuses_a_javascript_video_link(client, cast, relationship):
    from mentora.meetings.models import Meeting

    client.force_login(cast["mentor_a"])
    url = f"/api/mentoring/relationships/{relationship.pk}/meetings"
    for value in BAD:
        response = client.post(url, {"starts_at": _soon(), "time_zone": "UTC", "video_url": value},
                               content_type="application/json")
        assert response.status_code == 422, value
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert any(error["location"].endswith("video_url") and WEB_LINK_MESSAGE in error["message"]
                   for error in problem["errors"]), problem
    assert not Meeting.objects.filter(relationship=relationship).exists()
    response = client.post(url, {"starts_at": _soon(), "time_zone": "UTC", "video_url": "https://zoom.us/j/1"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["video_url"] == "https://zoom.us/j/1"


def test_every_service_that_takes_a_link_refuses_other_schemes(cast, relationship):
    from mentora.meetings import services
    from mentora.meetings.models import Meeting, Resource, TimeProposal
    from mentora.sso.services import institution_sign_on_configure

    starts_at = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        services.meeting_schedule(relationship=relationship, by=cast["mentor_a"], starts_at=starts_at,
                                  time_zone="UTC", video_url="javascript:alert(1)", notify_other=False)
    assert refused.value.message_dict == {"video_url": [WEB_LINK_MESSAGE]}
    with pytest.raises(ValidationError):
        services.proposal_create(relationship=relationship, by=cast["mentee_a"], time_zone="UTC",
                                 times=[starts_at, starts_at + datetime.timedelta(days=1)],
                                 video_url="data:text/html,x")
    with pytest.raises(ValidationError) as refused:
        services.resource_create(by=cast["admin"], topic="wellbeing", title="Phish", description="d",
                                 url="javascript:alert(document.cookie)")
    assert "url" in refused.value.message_dict
    with pytest.raises(ValidationError):
        institution_sign_on_configure(institution=cast["program"].institution, server_url="javascript:alert(1)",
                                      client_id="x", secret="y", email_domains=["example.edu"])
    assert not Meeting.objects.exists() and not TimeProposal.objects.exists() and not Resource.objects.exists()


def test_the_meeting_and_profile_forms_say_what_is_wrong(client, cast, relationship):
    client.force_login(cast["mentor_a"])
    day = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    response = client.post(reverse("meetings:meeting_create", args=[relationship.pk]), {
        "meet-day": day, "meet-at": "10:00", "meet-time_zone": "Europe/London", "meet-duration_minutes": "30",
        "meet-mode": "video", "meet-video_url": "javascript:alert(1)"})
    assert response.status_code == 400 and WEB_LINK_MESSAGE in response.content.decode()
    assert not relationship.meetings.exists()
    client.force_login(cast["mentee_a"])
    page = client.get(reverse("profiles:profile_edit")).content.decode()
    assert 'name="profile-linkedin_url"' in page
    response = client.post(reverse("profiles:profile_edit"), {"profile-full_name": "Priya Raman",
                                                     "profile-linkedin_url": "javascript:alert(1)"})
    assert WEB_LINK_MESSAGE in response.content.decode()
    cast["mentee_a"].profile.refresh_from_db()
    assert cast["mentee_a"].profile.linkedin_url == ""


def test_notices_link_to_pages_of_this_site_only(cast):
    from mentora.notifications.services import notify

    for url in ("javascript:alert(1)", "https://phish.example/", "//phish.example/", "/\\phish.example/"):
        with pytest.raises(ValueError):
            notify(user=cast["mentee_a"], kind="referral", key=f"k-{url}", title="t", url=url)
    assert notify(user=cast["mentee_a"], kind="referral", key="k", title="t", url="/milestones/") is not None


def test_clean_web_link_and_the_migration_helper(cast):
    from mentora.programs.models import Network

    assert clean_web_link("  https://example.org  ", field="website") == "https://example.org"
    assert clean_web_link("", field="website") == ""
    with pytest.raises(ValidationError) as refused:
        clean_web_link("javascript:alert(1)", field="website")
    assert refused.value.message_dict == {"website": [WEB_LINK_MESSAGE]}
    validate_web_link("https://example.org")
    network = cast["network"]
    Network.objects.filter(pk=network.pk).update(website="javascript:alert(1)")
    kept = Network.objects.create(name="Kept", slug="kept", website="https://kept.example.org")
    assert forget_links_other_than_web(Network, ["website"]) == 1
    assert Network.objects.get(pk=network.pk).website == ""
    assert Network.objects.get(pk=kept.pk).website == "https://kept.example.org"
