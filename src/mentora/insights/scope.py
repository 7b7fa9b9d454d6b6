"""What a dashboard looks at: which programs, which academic year, which training level.

A scope is always cut down to the programs the viewer coordinates (or directs); only site
admins may look at every program at once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from mentora.core.academic_year import academic_year_label, current_academic_year
from mentora.core.vocabulary import TRAINING_LEVELS
from mentora.programs.models import Membership, Program
from mentora.programs.selectors import user_roles

from .permissions import programs_visible_to

MENTEE_LEVELS = {code: label for code, label in TRAINING_LEVELS.items() if code != "faculty"}


@dataclass(frozen=True)
class Scope:
    program_ids: tuple[int, ...] | None  # None: every program (site admins only)
    academic_year: int
    training_level: str = ""
    program: int | None = None  # the single program chosen in the filter, if any
    today: datetime.date = field(default_factory=timezone.localdate)

    def program_q(self, prefix: str = "program_id") -> Q:
        return Q() if self.program_ids is None else Q(**{f"{prefix}__in": self.program_ids})

    def mentee_memberships(self) -> QuerySet[Membership]:
        qs = Membership.objects.filter(self.program_q(), academic_year=self.academic_year, role="mentee",
                                       is_active=True)
        if self.training_level:
            qs = qs.filter(training_level=self.training_level)
        return qs

    def mentor_memberships(self) -> QuerySet[Membership]:
        return Membership.objects.filter(self.program_q(), academic_year=self.academic_year, role="mentor",
                                         is_active=True)

    def mentee_ids(self) -> QuerySet:
        return self.mentee_memberships().values("user_id")

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.academic_year, 7, 1)

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.academic_year + 1, 6, 30)

    def query_string(self) -> str:
        params = {"year": self.academic_year}
        if self.program:
            params["program"] = self.program
        if self.training_level:
            params["level"] = self.training_level
        return urlencode(params)

    def key(self) -> str:
        programs = "all" if self.program_ids is None else ",".join(map(str, self.program_ids))
        return f"{programs}|{self.academic_year}|{self.training_level}|{self.today.isoformat()}"


class FilterForm(forms.Form):
    program = forms.TypedChoiceField(label="Program", coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(label="Training level", required=False,
                              choices=[("", "All training levels"), *MENTEE_LEVELS.items()])
    year = forms.TypedChoiceField(label="Academic year", coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, programs: list[Program], is_admin: bool):
        super().__init__(data)
        everything = "All programs" if is_admin else "All my programs"
        self.fields["program"].choices = [("", everything), *((p.pk, p.name) for p in programs)]
        current = current_academic_year()
        self.fields["year"].choices = [
            (y, academic_year_label(y)) for y in range(current, current - 4, -1)
        ]


def scope_from_request(request) -> tuple[Scope, FilterForm]:
    """The scope the filter form asks for, cut down to what the viewer may see. Invalid
    filter values are reported on the form and fall back to the defaults."""
    return scope_for(user=request.user, data=request.GET)


def scope_for(*, user, data) -> tuple[Scope, FilterForm]:
    """As scope_from_request, for a person and filter values (a query string's), e.g. in the worker."""
    roles = user_roles(user=user)
    programs = list(programs_visible_to(user).only("id", "name"))
    form = FilterForm(data or None, programs=programs, is_admin=roles.is_admin)
    program = level = year = None
    if form.is_bound and form.is_valid():
        program, level, year = form.cleaned_data["program"], form.cleaned_data["level"], form.cleaned_data["year"]
    if program is not None:
        program_ids: tuple[int, ...] | None = (program,)
    elif roles.is_admin:
        program_ids = None
    else:
        program_ids = tuple(sorted(p.pk for p in programs))
    scope = Scope(program_ids=program_ids, academic_year=year or current_academic_year(),
                  training_level=level or "", program=program)
    return scope, form
