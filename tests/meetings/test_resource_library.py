"""The resource library: who curates which level, and uploaded documents (checked, private, served safely)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentora.meetings import services
from mentora.meetings.models import RESOURCE_DOCUMENT_MAX_BYTES, Resource
from tests.factories import NetworkFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><script>fetch('/api/people/').then(r => r.text()).then(t => alert(t))</script>"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def lonely_network_coordinator(db):
    """The attacker of the issue: coordinator of a network that has no programs."""
    person = UserFactory()
    NetworkFactory().coordinators.add(person)
    return person


def _site_wide(**extra):
    return Resource.objects.create(topic="wellbeing", title="Physician wellbeing", url="https://www.ama-assn.org/",
                                   description="d", **extra)


def test_a_network_coordinator_cannot_touch_site_wide_resources(client, cast, lonely_network_coordinator):
    resource = _site_wide()
    client.force_login(lonely_network_coordinator)
    assert client.post(reverse("meetings:resource_delete", args=[resource.pk])).status_code == 403
    assert Resource.objects.filter(pk=resource.pk).exists()
    response = client.post(reverse("meetings:resource_list"), {"topic": "wellbeing", "title": "Free visa help",
                                                      "url": "https://phish.example/login", "description": "d",
                                                      "scope": "site"})
    assert response.status_code in (200, 403)
    assert not Resource.objects.filter(title="Free visa help").exists()
    with pytest.raises(PermissionDenied):
        services.resource_create(by=lonely_network_coordinator, topic="wellbeing", title="Free visa help",
                                 description="d", url="https://phish.example/login")
    with pytest.raises(PermissionDenied):
        services.resource_delete(resource=resource, by=cast["network_coordinator"])
    # nobody but a site admin adds one, and the mentees of every program see it
    services.resource_create(by=cast["admin"], topic="wellbeing", title="Site guide", description="d",
                             url="https://example.org/guide")
    client.force_login(cast["other_mentor"])
    assert "Site guide" in client.get(reverse("meetings:resource_list")).content.decode()


def test_a_network_coordinator_curates_their_network_for_its_programs_only(client, cast):
    client.force_login(cast["network_coordinator"])
    page = client.get(reverse("meetings:resource_list")).content.decode()
    assert f'value="network:{cast["network"].pk}"' in page and 'value="site"' not in page
    response = client.post(reverse("meetings:resource_list"), {
        "topic": "residency", "title": "Network interview guide", "url": "https://example.org/interviews",
        "description": "d", "scope": f"network:{cast['network'].pk}"})
    assert response.status_code == 302
    resource = Resource.objects.get(title="Network interview guide")
    assert resource.network == cast["network"] and resource.program is None
    client.force_login(cast["mentee_a"])
    assert "Network interview guide" in client.get(reverse("meetings:resource_list")).content.decode()
    client.force_login(cast["other_mentor"])
    assert "Network interview guide" not in client.get(reverse("meetings:resource_list")).content.decode()
    other = NetworkFactory()
    with pytest.raises(PermissionDenied):
        services.resource_create(by=cast["network_coordinator"], topic="wellbeing", title="x", description="d",
                                 url="https://example.org", network=other)
    with pytest.raises(PermissionDenied):  # program resources belong to the program's coordinators
        services.resource_create(by=cast["network_coordinator"], topic="wellbeing", title="x", description="d",
                                 url="https://example.org", program=cast["program"])
    with pytest.raises(ValidationError):
        services.resource_create(by=cast["admin"], topic="wellbeing", title="x", description="d",
                                 url="https://example.org", program=cast["program"], network=cast["network"])


def test_the_network_resource_can_be_attached_in_its_programs_only(cast):
    import datetime

    from django.utils import timezone

    from mentora.relationships.models import Relationship

    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    meeting = services.meeting_schedule(relationship=relationship, by=cast["mentor_a"], time_zone="UTC",
                                        starts_at=timezone.now() + datetime.timedelta(days=2), notify_other=False)
    ours = Resource.objects.create(topic="wellbeing", title="n", url="https://example.org", description="d",
                                   network=cast["network"])
    services.homework_add(meeting=meeting, by=cast["mentor_a"], text="Read", resource=ours)
    theirs = Resource.objects.create(topic="wellbeing", title="o", url="https://example.org", description="d",
                                     network=NetworkFactory())
    with pytest.raises(ValidationError):
        services.homework_add(meeting=meeting, by=cast["mentor_a"], text="Read", resource=theirs)


def _upload(client, name: str, content: bytes, content_type: str = "application/pdf"):
    return client.post(reverse("meetings:resource_list"), {
        "topic": "visas_licensing", "title": f"Guide {name}", "description": "d", "scope": "site",
        "document": SimpleUploadedFile(name, content, content_type=content_type)})


def test_uploads_are_recognised_by_content_and_refused_otherwise(client, cast):
    client.force_login(cast["admin"])
    response = _upload(client, "guide.pdf", HTML, "application/pdf")
    assert response.status_code == 200
    assert "upload a" in response.content.decode() and not Resource.objects.exists()
    response = _upload(client, "visa.html", PDF, "text/html")  # a real PDF with a misleading name
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.document_kind == "pdf" and resource.document_name == "visa.pdf"
    assert resource.document.name.startswith("resources/") and resource.document.name.endswith(".pdf")
    assert "visa" not in resource.document.name  # stored under a random name
    assert _upload(client, "waiver.docx", _docx()).status_code == 302
    assert Resource.objects.get(title="Guide waiver.docx").document_kind == "docx"


def test_too_large_an_upload_gets_a_clear_message(client, cast):
    client.force_login(cast["admin"])
    response = _upload(client, "big.pdf", PDF + b"0" * RESOURCE_DOCUMENT_MAX_BYTES)
    page = response.content.decode()
    assert response.status_code == 200 and "too large" in page and "the limit is 10.0 MB" in page
    assert not Resource.objects.exists()


def test_documents_live_outside_the_web_root_and_have_no_public_address(client, cast, uploads):
    client.force_login(cast["admin"])
    _upload(client, "guide.pdf", PDF)
    resource = Resource.objects.get()
    stored = Path(default_storage.path(resource.document.name))
    assert stored.is_file() and stored.is_relative_to(uploads)
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))
    assert settings.MEDIA_URL in ("", "/")  # no URL prefix for uploaded files
    for prefix in ("/media/", "/uploads/", "/static/", "/"):
        assert client.get(prefix + resource.document.name).status_code == 404
    with pytest.raises(ValueError):
        resource.document.url  # noqa: B018
    assert resource.href == reverse("meetings:resource_document", args=[resource.pk])
    page = client.get(reverse("meetings:resource_list")).content.decode()
    assert f'href="{resource.href}"' in page and "/media/" not in page


def test_the_document_is_served_as_a_download_to_those_who_may_read_it(client, cast,
                                                                      django_capture_on_commit_callbacks):
    client.force_login(cast["coordinator"])
    response = client.post(reverse("meetings:resource_list"), {
        "topic": "visas_licensing", "title": "Waiver plan template", "description": "d",
        "scope": f"program:{cast['program'].pk}",
        "document": SimpleUploadedFile("Plan \"J-1\"\r\n<b>.pdf", PDF, content_type="text/html")})
    assert response.status_code == 302
    resource = Resource.objects.get()
    url = reverse("meetings:resource_document", args=[resource.pk])
    client.force_login(cast["mentee_a"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert "<" not in disposition and disposition.count('"') == 2
    assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(cast["other_mentor"])
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    # removing the resource removes its file
    stored = default_storage.path(resource.document.name)
    client.force_login(cast["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("meetings:resource_delete", args=[resource.pk])).status_code == 302
    assert not Path(stored).exists()


def test_every_upload_the_project_accepts_is_checked_by_content():
    """Every FileField of every model and every FileField of every form runs the content check."""
    import importlib
    import pkgutil

    from django import forms
    from django.apps import apps
    from django.db import models

    import mentora
    from mentora.core.uploads import UploadValidator

    checked = []
    for model in apps.get_models():
        if not model.__module__.startswith("mentora."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                assert any(isinstance(v, UploadValidator) for v in field.validators), field
                checked.append(f"{model._meta.label}.{field.name}")
    for info in pkgutil.walk_packages(mentora.__path__, "mentora."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                for name, field in value.base_fields.items():
                    if isinstance(field, forms.FileField):
                        assert any(isinstance(v, UploadValidator) for v in field.validators), (value, name)
                        checked.append(f"{value.__name__}.{name}")
    assert {"meetings.Resource.document", "ResourceForm.document", "UploadForm.file"} <= set(checked)


def test_the_roster_import_refuses_a_file_that_is_not_a_spreadsheet(client, cast):
    client.force_login(cast["coordinator"])
    from mentora.core.academic_year import current_academic_year

    response = client.post(reverse("dataio:import_start"), {
        "program": cast["program"].pk, "kind": "mentees", "academic_year": current_academic_year(),
        "file": SimpleUploadedFile("roster.csv", PDF, content_type="text/csv")})
    assert response.status_code == 422 and "PDF document" in response.content.decode()
