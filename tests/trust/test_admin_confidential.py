"""The Django admin never shows a confidential record (notes, their history, visa details) to anyone.

Confidential records are read on the records page, which asks for a reason and writes an access-log
row the person sees. The admin does neither, so it must not show them at all: this test walks every
page of every model the admin has (lists, change pages, object history, the index) as a superuser and
looks for the note's text, an edit of it kept in the history, and the visa plan.
"""

import contextlib

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from mentora.audit.models import AccessLog, ConfidentialNote
from tests.factories import ImgDetailsFactory

NOTE = "Admin probe note N41 wellbeing"
EDITED = "Admin probe note N41 edited remediation"
WAIVER = "Admin probe waiver W88 Conrad"


def _admin_urls(model, model_admin, limit: int = 5) -> list[str]:
    info = (model._meta.app_label, model._meta.model_name)
    urls = [reverse(f"admin:{info[0]}_{info[1]}_changelist")]
    for pk in model._default_manager.order_by("-pk").values_list("pk", flat=True)[:limit]:
        for view in ("change", "history", "delete"):
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[pk]))
    # Search every model whose admin allows it: a search box must not find records by their text.
    if model_admin.search_fields:
        urls.append(urls[0] + "?q=N41")
    return urls


@pytest.mark.django_db
def test_the_admin_shows_no_confidential_text(client, cast):
    a, coordinator, superuser = cast["mentee_a"], cast["coordinator"], cast["admin"]
    note = ConfidentialNote.objects.create(subject=a, author=coordinator, program=cast["program"],
                                           kind="wellbeing", text=NOTE)
    note.text = EDITED
    note.save()  # the first text now lives only in the history table
    ImgDetailsFactory(user=a, visa_status="j1", j1_waiver_plan=WAIVER)
    # The admin's own log of changes names objects by their str(); it must not be a way in either.
    LogEntry.objects.create(user=superuser, content_type=ContentType.objects.get_for_model(ConfidentialNote),
                            object_id=str(note.pk), object_repr=str(note), action_flag=ADDITION)
    logged_before = AccessLog.objects.count()

    client.force_login(superuser)
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        urls += _admin_urls(model, model_admin)
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404}, (url, response.status_code)
        if response.status_code == 200:
            seen += 1
            body = response.content.decode()
            for secret in (NOTE, EDITED, WAIVER):
                assert secret not in body, f"{url} shows {secret!r} with no reason asked and no access-log row"
    assert seen > 20  # the walk really read the admin
    assert AccessLog.objects.count() == logged_before


@pytest.mark.django_db
def test_confidential_models_are_not_in_the_admin():
    registered = set(admin.site._registry)
    assert ConfidentialNote not in registered
    assert ConfidentialNote.history.model not in registered
