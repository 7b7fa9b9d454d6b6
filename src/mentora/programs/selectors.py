"""Reads about programs, memberships and what roles a person holds."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Value

from mentora.core.academic_year import current_academic_year
from mentora.core.db import CompiledOnce

from .models import Membership, MembershipInvitation, Network, Program


@dataclass(frozen=True)
class Roles:
    """Everything a person may act as, worked out once per request."""

    is_admin: bool = False
    mentee_program_ids: frozenset[int] = field(default_factory=frozenset)
    mentor_program_ids: frozenset[int] = field(default_factory=frozenset)
    coordinated_program_ids: frozenset[int] = field(default_factory=frozenset)
    coordinated_network_ids: frozenset[int] = field(default_factory=frozenset)
    is_mentor_by_offer: bool = False

    @property
    def is_mentee(self) -> bool:
        return bool(self.mentee_program_ids)

    @property
    def is_mentor(self) -> bool:
        return bool(self.mentor_program_ids) or self.is_mentor_by_offer

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinated_program_ids)

    @property
    def is_network_coordinator(self) -> bool:
        return bool(self.coordinated_network_ids)

    @property
    def labels(self) -> list[str]:
        names = []
        if self.is_mentee:
            names.append("Mentee")
        if self.is_mentor:
            names.append("Mentor")
        if self.is_coordinator:
            names.append("Program coordinator")
        if self.is_network_coordinator:
            names.append("Network coordinator")
        if self.is_admin:
            names.append("Site admin")
        return names


# The rows of _roles_rows that are not memberships: a network the person coordinates, their mentor offer.
_NETWORK, _OFFER = "+network", "+offer"


def _roles_rows(*, person: int, year: int) -> QuerySet:
    """(role, program id) for the person's active memberships of the year, (_NETWORK, network id) for each network
    they coordinate, and (_OFFER, 0) if they offer to mentor: every page asks, so one query, not three, compiled
    once (_ROLES)."""
    memberships = Membership.objects.filter(user_id=person, academic_year=year, is_active=True).values_list(
        "role", "program_id")
    networks = Network.objects.filter(coordinators=person).annotate(role=Value(_NETWORK)).values_list("role", "id")
    # Through the person's reverse relation: programs sit below profiles, which owns the offer.
    offer = (get_user_model().objects.filter(pk=person, mentor_offer__isnull=False)
             .annotate(role=Value(_OFFER), key=Value(0)).values_list("role", "key"))
    return memberships.order_by().union(networks.order_by(), offer.order_by(), all=True)


_ROLES = CompiledOnce(_roles_rows)


def user_roles(*, user, academic_year: int | None = None) -> Roles:
    if not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_mentora_roles", None)
    if cached is not None and academic_year is None:
        return cached
    year = academic_year if academic_year is not None else current_academic_year()
    by_role: dict[str, set[int]] = {role: set() for role in [*Membership.Role.values, _NETWORK, _OFFER]}
    for role, key in _ROLES.rows(person=user.pk, year=year):
        by_role[role].add(key)
    roles = Roles(
        is_admin=user.is_superuser,
        mentee_program_ids=frozenset(by_role[Membership.Role.MENTEE]),
        mentor_program_ids=frozenset(by_role[Membership.Role.MENTOR]),
        coordinated_program_ids=frozenset(by_role[Membership.Role.COORDINATOR] | by_role[Membership.Role.DIRECTOR]),
        coordinated_network_ids=frozenset(by_role[_NETWORK]),
        is_mentor_by_offer=bool(by_role[_OFFER]),
    )
    if academic_year is None:
        user._mentora_roles = roles
    return roles


def figure_viewers_signed_in_since(*, since) -> QuerySet:
    """The active people who may look at program figures (site admins, coordinators and directors of a
    program this academic year, network coordinators) and signed in since `since`, the latest first."""
    coordinating = Membership.objects.filter(
        academic_year=current_academic_year(), is_active=True,
        role__in=[Membership.Role.COORDINATOR, Membership.Role.DIRECTOR],
    )
    networks = Network.coordinators.through.objects.values("user_id")
    return (
        get_user_model().objects.filter(is_active=True, last_login__gte=since)
        .filter(Q(is_superuser=True) | Q(pk__in=coordinating.values("user_id")) | Q(pk__in=networks))
        .order_by("-last_login", "pk")
    )


def programs_coordinated_by(*, user) -> QuerySet[Program]:
    roles = user_roles(user=user)
    if roles.is_admin:
        return Program.objects.select_related("institution")
    return Program.objects.filter(id__in=roles.coordinated_program_ids).select_related("institution")


def invitations_to_answer(*, user) -> QuerySet[MembershipInvitation]:
    """A person's invitations of this academic year on that they may still answer: those awaiting an
    answer, and those they declined (they may change their mind and accept)."""
    return (
        MembershipInvitation.objects.filter(
            user=user, academic_year__gte=current_academic_year(),
            status__in=[MembershipInvitation.Status.PENDING, MembershipInvitation.Status.DECLINED],
        )
        .select_related("program__institution", "invited_by")
        .order_by("status", "-invited_at")
    )


def pending_invitation_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return MembershipInvitation.objects.filter(
        user=user, academic_year__gte=current_academic_year(), status=MembershipInvitation.Status.PENDING
    ).count()


@dataclass
class Roster:
    """A program's people for one academic year, as its coordinators see them."""

    members: QuerySet[Membership]
    invitations: list[MembershipInvitation]
    left: list[Membership]


def program_roster(*, program: Program, academic_year: int, invitation_limit: int = 500) -> Roster:
    members = (Membership.objects.filter(program=program, academic_year=academic_year, is_active=True)
               .select_related("user").order_by("role", "user__full_name", "pk"))
    invitations = list(
        MembershipInvitation.objects.filter(
            program=program, academic_year=academic_year,
            status__in=[MembershipInvitation.Status.PENDING, MembershipInvitation.Status.DECLINED],
        ).select_related("user", "invited_by").order_by("status", "-invited_at")[:invitation_limit]
    )
    # People who left: the program keeps their name on its roster, and nothing else of them.
    staying = Membership.objects.filter(program=program, academic_year=academic_year, is_active=True)
    left = list(Membership.objects.filter(program=program, academic_year=academic_year, is_active=False)
                .exclude(user_id__in=staying.values("user_id"))
                .select_related("user").order_by("user__full_name")[:invitation_limit])
    return Roster(members=members, invitations=invitations, left=left)


def network_program_ids(*, user) -> frozenset[int]:
    """The programs of the networks a person coordinates (whose figures, not people, they may see)."""
    networks = user_roles(user=user).coordinated_network_ids
    if not networks:
        return frozenset()
    return frozenset(Program.objects.filter(network_id__in=networks).values_list("pk", flat=True))
