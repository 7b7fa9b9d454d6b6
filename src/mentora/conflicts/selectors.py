"""Reads about conflicts of interest; the public API other domains call.

    from mentora.conflicts.selectors import conflicts_between, conflict_map, forbidden_pairs

- ``conflicts_between(mentor, mentee)`` -> list of ``Conflict`` (empty when none): for a request page.
- ``conflict_map(mentee_ids=..., mentor_ids=...)`` -> {(mentee_id, mentor_id): [Conflict, ...]} for
  many people at once, in a constant number of queries (directory lists, batch matching).
- ``forbidden_pairs(mentee_ids=..., mentor_ids=...)`` -> sorted [(mentee_id, mentor_id)] the
  programs' policies forbid: what goes into a matching instance's ``forbidden``.
- ``pair_is_forbidden(mentor, mentee)`` -> bool.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership, Program

from .models import ConflictPolicy, EvaluatingRole

ROLE_LABELS = dict(EvaluatingRole.Role.choices)


@dataclass(frozen=True)
class Conflict:
    mentee_id: int
    mentor_id: int
    role: str
    program_id: int | None
    program_name: str
    scope: str  # "program": over every mentee of the program; "mentee": over this mentee; "membership"
    forbidden: bool

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def text(self) -> str:
        if self.scope == "mentee":
            return f"{self.role_label} for this mentee"
        return f"{self.role_label} in {self.program_name}"


def _id(person) -> int:
    return person if isinstance(person, int) else person.pk


def conflict_map(
    *, mentee_ids: Iterable[int], mentor_ids: Iterable[int] | None = None, academic_year: int | None = None
) -> dict[tuple[int, int], list[Conflict]]:
    """Every (mentee, mentor) pair where the mentor evaluates the mentee, with the reasons."""
    mentee_ids = set(mentee_ids)
    mentor_filter = set(mentor_ids) if mentor_ids is not None else None
    if not mentee_ids or mentor_filter == set():
        return {}
    year = academic_year if academic_year is not None else current_academic_year()
    programs_of: dict[int, set[int]] = defaultdict(set)
    for mentee_id, program_id in Membership.objects.filter(
        user_id__in=mentee_ids, role=Membership.Role.MENTEE, academic_year=year, is_active=True
    ).values_list("user_id", "program_id"):
        programs_of[mentee_id].add(program_id)
    all_programs = set().union(*programs_of.values()) if programs_of else set()

    roles = EvaluatingRole.objects.filter(Q(mentee_id__in=mentee_ids) | Q(program_id__in=all_programs))
    directors = Membership.objects.filter(
        role=Membership.Role.DIRECTOR, program_id__in=all_programs, academic_year=year, is_active=True
    )
    if mentor_filter is not None:
        roles = roles.filter(mentor_id__in=mentor_filter)
        directors = directors.filter(user_id__in=mentor_filter)
    role_rows = list(roles.values_list("mentor_id", "role", "program_id", "mentee_id"))
    director_rows = list(directors.values_list("user_id", "program_id"))
    if not role_rows and not director_rows:
        return {}
    program_ids = all_programs | {row[2] for row in role_rows if row[2]}
    names = dict(Program.objects.filter(id__in=program_ids).values_list("id", "name"))
    forbidding = set(
        ConflictPolicy.objects.filter(program_id__in=program_ids, forbid_evaluator_pairs=True).values_list(
            "program_id", flat=True
        )
    )
    mentees_in: dict[int, list[int]] = defaultdict(list)
    for mentee_id, programs in programs_of.items():
        for program_id in programs:
            mentees_in[program_id].append(mentee_id)

    found: dict[tuple[int, int], list[Conflict]] = defaultdict(list)

    def add(mentee_id, mentor_id, role, program_id, scope):
        if mentee_id == mentor_id:
            return
        forbidden = bool(program_id in forbidding or programs_of.get(mentee_id, set()) & forbidding)
        conflict = Conflict(mentee_id, mentor_id, role, program_id, names.get(program_id, ""), scope, forbidden)
        if conflict not in found[(mentee_id, mentor_id)]:
            found[(mentee_id, mentor_id)].append(conflict)

    for mentor_id, role, program_id, mentee_id in role_rows:
        if mentee_id is not None:
            if mentee_id in mentee_ids:
                add(mentee_id, mentor_id, role, None, "mentee")
        else:
            for one in mentees_in.get(program_id, ()):
                add(one, mentor_id, role, program_id, "program")
    for mentor_id, program_id in director_rows:
        for one in mentees_in.get(program_id, ()):
            add(one, mentor_id, EvaluatingRole.Role.PROGRAM_DIRECTOR, program_id, "membership")
    return dict(found)


def conflicts_between(mentor, mentee, *, academic_year: int | None = None) -> list[Conflict]:
    """Why `mentor` would also evaluate `mentee` (users or ids); empty when they would not."""
    mentor_id, mentee_id = _id(mentor), _id(mentee)
    return conflict_map(mentee_ids=[mentee_id], mentor_ids=[mentor_id], academic_year=academic_year).get(
        (mentee_id, mentor_id), []
    )


def pair_is_forbidden(mentor, mentee, *, academic_year: int | None = None) -> bool:
    return any(c.forbidden for c in conflicts_between(mentor, mentee, academic_year=academic_year))


def forbidden_pairs(
    *, mentee_ids: Iterable[int], mentor_ids: Iterable[int] | None = None, academic_year: int | None = None
) -> list[tuple[int, int]]:
    """(mentee_id, mentor_id) pairs a program's policy forbids, for a matching instance's `forbidden`."""
    found = conflict_map(mentee_ids=mentee_ids, mentor_ids=mentor_ids, academic_year=academic_year)
    return sorted(pair for pair, conflicts in found.items() if any(c.forbidden for c in conflicts))


def roles_declared_by(*, mentor) -> QuerySet[EvaluatingRole]:
    return EvaluatingRole.objects.filter(mentor=mentor).select_related("program", "mentee")


def policy_of(*, program) -> ConflictPolicy:
    return ConflictPolicy.objects.filter(program=program).first() or ConflictPolicy(program=program)
