"""The resource library at its three levels, and the view that hands out uploaded documents.

Site-wide resources: site admins curate, everyone signed in reads. The network's (A's program is in
it): its coordinator curates, the people of its programs read. Program A's: A's coordinator curates,
A's members read.
"""

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.trust.matrix import Row

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCUMENT = "resources/authorization-matrix-guide.pdf"


def _resource(c, level: str, *, document: bool = False, title: str = ""):
    from django.core.files.storage import default_storage

    from mentora.meetings.models import Resource

    owner = {"program": {"program": c.program}, "network": {"network": c.network}, "site": {}}[level]
    content = {"url": "https://example.org/guide"}
    if document:
        if not default_storage.exists(DOCUMENT):
            default_storage.save(DOCUMENT, ContentFile(PDF))
        content = {"document": DOCUMENT, "document_name": "guide.pdf", "document_kind": "pdf"}
    return Resource.objects.create(topic="wellbeing", title=title or f"{level} guide", description="d",
                                   **content, **owner)


def _listed(level: str):
    title = f"Only for {level} readers"
    return lambda c: (_resource(c, level, title=title), reverse("meetings:resource_list"))[1]


def _add(scope):
    return lambda c: {"topic": "wellbeing", "title": "t", "url": "https://example.org", "description": "d",
                      "scope": scope(c)}


def _delete(level: str):
    return lambda c: reverse("meetings:resource_delete", args=[_resource(c, level).pk])


def _document(level: str):
    return lambda c: reverse("meetings:resource_document", args=[_resource(c, level, document=True).pk])


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("meetings:resource_list", _listed("program"), probe=lambda c: "Only for program readers", note="program's",
        expect="login 200+  200+  200+  200-  200+  200-  200-  200+"),
    Row("meetings:resource_list", _listed("network"), probe=lambda c: "Only for network readers", note="network's",
        expect="login 200+  200+  200+  200-  200+  200-  200+  200+"),
    Row("meetings:resource_list", _listed("site"), probe=lambda c: "Only for site readers", note="site-wide",
        expect="login 200+  200+  200+  200+  200+  200+  200+  200+"),
    Row("meetings:resource_list", lambda c: reverse("meetings:resource_list"), method="POST", note="add to program A",
        data=_add(lambda c: f"program:{c.program.pk}"),
        expect="login 403   403   403   403   302   200   200   302"),
    Row("meetings:resource_list", lambda c: reverse("meetings:resource_list"), method="POST", note="add to the network",
        data=_add(lambda c: f"network:{c.network.pk}"),
        expect="login 403   403   403   403   200   200   302   302"),
    Row("meetings:resource_list", lambda c: reverse("meetings:resource_list"), method="POST", note="add site-wide",
        data=_add(lambda c: "site"),
        expect="login 403   403   403   403   200   200   200   302"),
    Row("meetings:resource_delete", _delete("program"), method="POST", note="program's",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("meetings:resource_delete", _delete("network"), method="POST", note="network's",
        expect="login 403   403   403   403   403   403   302   302"),
    Row("meetings:resource_delete", _delete("site"), method="POST", note="site-wide",
        expect="login 403   403   403   403   403   403   403   302"),
    Row("meetings:resource_delete", _delete("site"),
        expect="login 405   405   405   405   405   405   405   405"),
    Row("meetings:resource_document", _document("program"), note="program's",
        expect="login 200   200   200   403   200   403   403   200"),
    Row("meetings:resource_document", _document("network"), note="network's",
        expect="login 200   200   200   403   200   403   200   200"),
    Row("meetings:resource_document", _document("site"), note="site-wide",
        expect="login 200   200   200   200   200   200   200   200"),
    Row("meetings:resource_document", _document("program"), method="POST",
        expect="login 405   405   405   405   405   405   405   405"),
]


def _api_listed(level: str):
    title = f"Only for {level} readers"
    return lambda c: (_resource(c, level, title=title), "/api/mentoring/resources")[1]


def _api_add(**scope):
    return lambda c: {"topic": "wellbeing", "title": "t", "url": "https://example.org", "description": "d",
                      **{key: value(c) for key, value in scope.items()}}


def _api_delete(level: str):
    return lambda c: f"/api/mentoring/resources/{_resource(c, level).pk}"


ROWS += [
    Row("GET /api/mentoring/resources", _api_listed("program"), probe=lambda c: "Only for program readers",
        note="program's", expect="401   200+  200+  200+  200-  200+  200-  200-  200+"),
    Row("GET /api/mentoring/resources", _api_listed("network"), probe=lambda c: "Only for network readers",
        note="network's", expect="401   200+  200+  200+  200-  200+  200-  200+  200+"),
    Row("POST /api/mentoring/resources", lambda c: "/api/mentoring/resources", note="add to program A",
        data=_api_add(program_id=lambda c: c.program.pk),
        expect="401   403   403   403   403   201   403   403   201"),
    Row("POST /api/mentoring/resources", lambda c: "/api/mentoring/resources", note="add to the network",
        data=_api_add(network_id=lambda c: c.network.pk),
        expect="401   403   403   403   403   403   403   201   201"),
    Row("POST /api/mentoring/resources", lambda c: "/api/mentoring/resources", note="add site-wide",
        data=_api_add(), expect="401   403   403   403   403   403   403   403   201"),
    Row("DELETE /api/mentoring/resources/{resource_id}", _api_delete("program"), note="program's",
        expect="401   403   403   403   404   204   404   404   204"),
    Row("DELETE /api/mentoring/resources/{resource_id}", _api_delete("network"), note="network's",
        expect="401   403   403   403   404   403   404   204   204"),
    Row("DELETE /api/mentoring/resources/{resource_id}", _api_delete("site"), note="site-wide",
        expect="401   403   403   403   403   403   403   403   204"),
]
