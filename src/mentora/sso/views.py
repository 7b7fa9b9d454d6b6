"""Mentora's SAML service-provider metadata, at a stable address per institution."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from .models import SAML, InstitutionSignOn
from .saml import sp_metadata


@require_GET
def saml_metadata(request, slug: str):
    """Public by nature (the identity provider's team loads it): the entity id, the assertion consumer
    address and that assertions must be signed. Served whether or not the sign-on is switched on, so
    the institution can register Mentora before anyone signs in."""
    if not InstitutionSignOn.objects.filter(app__provider=SAML, app__client_id=slug).exists():
        raise Http404("No SAML sign-on for this institution")
    return HttpResponse(sp_metadata(slug), content_type="application/samlmetadata+xml")
