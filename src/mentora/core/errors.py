"""The errors every service raises (see docs/architecture.md).

- ``django.core.exceptions.ValidationError``: the input is wrong (a missing reason, an unknown kind).
  Pages show it on the form; the API answers 422.
- ``StateConflict`` (a ValidationError): the input is fine but the current state refuses it (no free
  place left, already answered, already open). Pages show it like any other; the API answers 409.
- ``django.core.exceptions.PermissionDenied``: the person may not do this. The API answers 403, or 404
  where the person may not even see the object.
"""

from django.core.exceptions import ValidationError


class StateConflict(ValidationError):
    """The request is well formed, but what it asks conflicts with the current state of things."""
