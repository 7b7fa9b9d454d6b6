"""The site's routes plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from mentora.config.urls import urlpatterns as site_urlpatterns


def refuse(request):
    raise PermissionDenied("Only the program's coordinators can remove a pair.")


def malformed(request):
    raise SuspiciousOperation("malformed request")


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-errors/403/", refuse),
    path("test-errors/400/", malformed),
    path("test-errors/500/", crash),
    *site_urlpatterns,
]
