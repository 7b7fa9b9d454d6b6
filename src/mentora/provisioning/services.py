"""Writes of SCIM provisioning.

The Users and Groups writes act for an institution's identity system, authenticated by the
institution's bearer token, not for a signed-in person: they take the ``institution`` and no ``by``.
The token writes are a site admin's (``by``), checked by provisioning.permissions and recorded in the
audit log.
"""

from __future__ import annotations

import secrets
import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from mentora.api.models import ApiToken
from mentora.api.tokens import hash_token
from mentora.audit.services import admin_action_record
from mentora.core.academic_year import current_academic_year
from mentora.core.errors import StateConflict
from mentora.programs.models import Membership, Program
from mentora.sso.models import InstitutionSignOn
from mentora.sso.selectors import holds_staff_role

from . import permissions
from .models import ScimGroup, ScimToken, ScimUser

User = get_user_model()
TOKEN_PREFIX = "mscim_"


def _record(by, action: str, target, details: dict | None = None) -> None:
    admin_action_record(by=by, action=action, target=target, details=details or {})


# --- tokens ---------------------------------------------------------------------------------------


@transaction.atomic
def scim_token_create(*, institution, by) -> tuple[ScimToken, str]:
    """A new bearer token for the institution (the previous one stops working); returns the token
    with its secret, which is never stored and cannot be shown again."""
    if not permissions.can_manage_provisioning(by, institution):
        raise PermissionDenied("Only a site admin manages provisioning.")
    token, secret = _token_issue(institution=institution, created_by=by)
    _record(by, "provisioning.token_create", institution, {"prefix": token.prefix})
    return token, secret


def _token_issue(*, institution, created_by=None) -> tuple[ScimToken, str]:
    ScimToken.objects.filter(institution=institution, revoked_at__isnull=True).update(revoked_at=timezone.now())
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken.objects.create(institution=institution, prefix=secret[:12], token_hash=hash_token(secret),
                                     created_by=created_by)
    return token, secret


@transaction.atomic
def scim_token_revoke(*, institution, by) -> int:
    if not permissions.can_manage_provisioning(by, institution):
        raise PermissionDenied("Only a site admin manages provisioning.")
    count = ScimToken.objects.filter(institution=institution, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    _record(by, "provisioning.token_revoke", institution, {"revoked": count})
    return count


def scim_token_authenticate(*, secret: str) -> ScimToken | None:
    """The live token with this secret, its last use noted (at most once a minute)."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = (ScimToken.objects.select_related("institution")
             .filter(token_hash=hash_token(secret), revoked_at__isnull=True).first())
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- people ---------------------------------------------------------------------------------------


def end_sessions_and_tokens(user) -> dict[str, int]:
    """Sign the person out everywhere and revoke their API tokens (their data stays)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1

    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return {"sessions_ended": ended, "api_tokens_revoked": revoked}


def _institution_memberships(record: ScimUser):
    return Membership.objects.filter(user=record.user, program__institution=record.institution)


def _active_elsewhere(record: ScimUser) -> bool:
    """Does the person still belong somewhere else: an active record of another institution, or an
    active membership in another institution's program?"""
    user = record.user
    return (ScimUser.objects.filter(user=user, active=True).exclude(pk=record.pk).exists()
            or Membership.objects.filter(user=user, is_active=True)
            .exclude(program__institution=record.institution).exists())


def _deactivate(record: ScimUser) -> None:
    """The institution ends the person's roles in its programs; if they belong nowhere else, their
    account is switched off, signed out everywhere and its API tokens revoked. Nothing is deleted."""
    _institution_memberships(record).update(is_active=False)
    if not _active_elsewhere(record) and record.user.is_active:
        user = record.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        end_sessions_and_tokens(user)


def _reactivate(record: ScimUser) -> None:
    user = record.user
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    _sync_memberships_of(record)


def _clean_person(*, user_name: str, email: str, full_name: str) -> tuple[str, str, str]:
    user_name = (user_name or "").strip()
    if not user_name:
        raise ValidationError({"userName": "userName is required."})
    email = (email or "").strip() or (user_name if "@" in user_name else "")
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"emails": "Give the person's email address (emails[primary].value)."}) from error
    return user_name[:255], email.lower(), " ".join((full_name or "").split())[:200]


@transaction.atomic
def scim_user_save(*, institution, record: ScimUser | None, user_name: str, email: str, full_name: str = "",
                   external_id: str = "", active: bool = True, attributes: dict | None = None) -> ScimUser:
    """Create (``record`` None) or replace one of the institution's people, for its identity system.

    A new record finds an existing account by its email address only when the address is at one of
    the institution's sign-on domains and the account holds no staff role (the same rule as sign-on);
    any other existing account with that address is a conflict. A person with no account gets one
    (no password: they sign in through the institution or reset it)."""
    user_name, email, full_name = _clean_person(user_name=user_name, email=email, full_name=full_name)
    clash = ScimUser.objects.filter(institution=institution, user_name__iexact=user_name)
    if record is not None:
        clash = clash.exclude(pk=record.pk)
    if clash.exists():
        raise StateConflict({"userName": f"{user_name} is provisioned already."})
    owner = User.objects.filter(email__iexact=email).first()
    if record is None:
        if owner is not None:
            if ScimUser.objects.filter(institution=institution, user=owner).exists():
                raise StateConflict({"emails": f"{email} is provisioned already."})
            sign_on = InstitutionSignOn.objects.filter(institution=institution).first()
            if sign_on is None or not sign_on.allows_email(email) or holds_staff_role(owner):
                raise StateConflict({"emails": f"An account with {email} exists and is not the institution's "
                                               "to provision."})
            user = owner
        else:
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        record = ScimUser(institution=institution, user=user)
    else:
        user = record.user
        if owner is not None and owner.pk != user.pk:
            raise StateConflict({"emails": f"Another account uses {email}."})
        if user.email.lower() != email:
            user.email = email
            EmailAddress.objects.filter(user=user, primary=True).update(email=email, verified=True)
        if full_name:
            user.full_name = full_name
        user.save()
    was_active = record.pk is None or record.active
    record.user_name = user_name
    record.external_id = (external_id or "")[:255]
    record.active = bool(active)
    record.attributes = attributes or {}
    record.save()
    if was_active and not record.active:
        _deactivate(record)
    elif not was_active and record.active:
        _reactivate(record)
    return record


@transaction.atomic
def scim_user_delete(*, record: ScimUser) -> None:
    """DELETE from the identity system: the institution forgets its record (later reads answer 404) and
    the person is deactivated as above. Their data, their account and other institutions' records stay."""
    record.active = False
    record.save(update_fields=["active"])
    _deactivate(record)
    record.delete()


# --- groups ---------------------------------------------------------------------------------------


def _sync_memberships_of(record: ScimUser) -> None:
    for group in record.groups.exclude(program=None).exclude(role=""):
        _grant(group, [record])


def _grant(group: ScimGroup, records) -> None:
    year = current_academic_year()
    for record in records:
        if not record.active:
            continue
        membership, created = Membership.objects.get_or_create(
            user=record.user, program=group.program, academic_year=year, role=group.role,
            defaults={"is_active": True},
        )
        if not created and not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])


def _withdraw(group: ScimGroup, records) -> None:
    year = current_academic_year()
    for record in records:
        still = ScimGroup.objects.filter(members=record, program=group.program, role=group.role).exclude(pk=group.pk)
        if still.exists():
            continue
        Membership.objects.filter(user=record.user, program=group.program, academic_year=year,
                                  role=group.role).update(is_active=False)


def _members(institution, member_ids) -> list[ScimUser]:
    ids = [str(m) for m in member_ids]
    found = list(ScimUser.objects.filter(institution=institution, scim_id__in=[i for i in ids if _uuid(i)]))
    if len(found) != len(set(ids)):
        raise ValidationError({"members": "A member is not one of the institution's provisioned people."})
    return found


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@transaction.atomic
def scim_group_save(*, institution, group: ScimGroup | None, display_name: str, external_id: str = "",
                    member_ids=None) -> ScimGroup:
    """Create or replace a group; when it is mapped to a program role, joining members get the role and
    leaving members lose it (unless another group gives them the same role)."""
    display_name = " ".join((display_name or "").split())
    if not display_name:
        raise ValidationError({"displayName": "displayName is required."})
    clash = ScimGroup.objects.filter(institution=institution, display_name__iexact=display_name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise StateConflict({"displayName": f"A group called {display_name} exists already."})
    if group is None:
        group = ScimGroup(institution=institution)
    group.display_name = display_name[:255]
    group.external_id = (external_id or "")[:255]
    group.save()
    if member_ids is not None:
        scim_group_set_members(group=group, members=_members(institution, member_ids))
    return group


def scim_group_set_members(*, group: ScimGroup, members: list[ScimUser]) -> None:
    before = set(group.members.all())
    after = set(members)
    group.members.set(members)
    if group.is_mapped:
        _grant(group, after - before)
        _withdraw(group, before - after)


def scim_group_add_members(*, group: ScimGroup, member_ids) -> None:
    current = list(group.members.all())
    scim_group_set_members(group=group, members=current + [m for m in _members(group.institution, member_ids)
                                                             if m not in current])


def scim_group_remove_members(*, group: ScimGroup, member_ids) -> None:
    gone = set(_members(group.institution, member_ids))
    scim_group_set_members(group=group, members=[m for m in group.members.all() if m not in gone])


@transaction.atomic
def scim_group_delete(*, group: ScimGroup) -> None:
    if group.is_mapped:
        _withdraw(group, list(group.members.all()))
    group.delete()


@transaction.atomic
def scim_group_map(*, group: ScimGroup, program: Program | None, role: str, by) -> ScimGroup:
    """A site admin says which program role a group gives (or none): members gain it now, and lose the
    role the group gave before."""
    if not permissions.can_manage_provisioning(by, group.institution):
        raise PermissionDenied("Only a site admin manages provisioning.")
    if program is not None and program.institution_id != group.institution_id:
        raise ValidationError({"program": "Choose one of the institution's programs."})
    if program is not None and role not in Membership.Role.values:
        raise ValidationError({"role": "Choose a role."})
    members = list(group.members.all())
    if group.is_mapped:
        _withdraw(group, members)
    group.program, group.role = program, (role if program is not None else "")
    group.save(update_fields=["program", "role", "updated_at"])
    if group.is_mapped:
        _grant(group, members)
    _record(by, "provisioning.group_map", group.institution,
            {"group": group.display_name, "program": program.slug if program else None, "role": group.role})
    return group
