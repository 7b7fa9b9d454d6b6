"""The authentication backends: Django's and django-allauth's, with the person signed in read by a query
compiled once (every page a signed-in person opens reads them; building the ORM's lookup by key cost more than
running it)."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError

from mentora.core.db import CompiledOnce


def _person(*, person: int):
    return get_user_model()._default_manager.filter(pk=person)


_PERSON = CompiledOnce(_person)


def person_by_key(user_id):
    """The person with this key (as a session holds it), or None."""
    try:
        key = get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    found = _PERSON.instances(person=key) if key is not None else []
    return found[0] if found else None


class _CompiledGetUser:
    def get_user(self, user_id):
        user = person_by_key(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_CompiledGetUser, DjangoModelBackend):
    pass


class AuthenticationBackend(_CompiledGetUser, AllauthBackend):
    pass
