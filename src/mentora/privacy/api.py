"""A person's own privacy in the REST API: what is kept, their optional attributes and consent, leaving a program;
a program's data policy for its coordinators. (Erasing one's account asks for the account's email typed again on
the page, and stays there: tests/api/coverage.py says why.)"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from mentora.profiles.forms import SensitiveAttributesForm
from mentora.profiles.models import SensitiveAttributes
from mentora.profiles.services import sensitive_attributes_update
from mentora.programs.models import Program

from . import permissions, selectors, services

router = Router(tags=["privacy"])


class DoneOut(Schema):
    done: bool
    detail: str


@router.post("/withdraw-consent", response=DoneOut,
             summary="Delete your optional attributes now (they are no longer used in matching)")
def consent_withdraw(request):
    withdrawn = services.sensitive_consent_withdraw(by=request.auth) is not None
    return {"done": withdrawn, "detail": "Your optional attributes are deleted." if withdrawn
            else "You had no optional attributes stored."}


@router.post("/programs/{slug}/leave", response=DoneOut,
             summary="Leave a program: your memberships end and your open relationships in it close")
def program_leave(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    services.program_leave(program=program, by=request.auth)
    return {"done": True, "detail": f"You have left {program.name}."}


# --- what is kept about me; my optional attributes and their consent; a program's data policy -------------

class MembershipKeptOut(Schema):
    program_id: int
    program: str
    slug: str
    role: str
    academic_year: int


class PrivacyEventOut(Schema):
    action: str = Field(description="leave_program, withdraw_consent or erasure")
    program_id: int | None
    counts: dict[str, int] = Field(description="What changed, as numbers per kind of record")
    created_at: datetime.datetime


class PrivacyOverviewOut(Schema):
    memberships: list[MembershipKeptOut] = Field(description="The programs that hold my records this year and next")
    has_sensitive: bool = Field(description="Whether I have optional attributes stored")
    events: list[PrivacyEventOut] = Field(description="My latest privacy actions (20)")
    erasure_policy: str = Field(description="What erasing my account deletes and what it keeps")


@router.get("", response=PrivacyOverviewOut, summary="What Mentora keeps about me, and my privacy actions")
def privacy_overview(request):
    overview = selectors.privacy_overview(user=request.auth)
    return {
        "memberships": [{"program_id": m.program_id, "program": m.program.name, "slug": m.program.slug,
                         "role": m.role, "academic_year": m.academic_year} for m in overview["memberships"]],
        "has_sensitive": overview["has_sensitive"],
        "events": [{"action": e.action, "program_id": e.program_id, "counts": e.counts or {},
                    "created_at": e.created_at} for e in overview["events"]],
        "erasure_policy": services.ERASURE_POLICY,
    }


Visibility = Literal["private", "mentors", "directory"]


class SensitiveAttributesIO(Schema):
    consent: bool = Field(description="Storing them needs consent; false deletes them at once (logged, confirmed)")
    gender: str = ""
    gender_visibility: Visibility = "private"
    race_ethnicity: str = ""
    race_ethnicity_visibility: Visibility = "private"
    lgbtq_identity: bool | None = None
    lgbtq_identity_visibility: Visibility = "private"
    concordance_wanted: list[str] = Field(default_factory=list, description="As a mentee: share these with my mentor")
    concordance_consent: list[str] = Field(default_factory=list, description="As a mentor: match me on these")


FIELDS = ["gender", "gender_visibility", "race_ethnicity", "race_ethnicity_visibility", "lgbtq_identity",
          "lgbtq_identity_visibility", "concordance_wanted", "concordance_consent"]


def _attributes_out(user) -> dict:
    attributes = SensitiveAttributes.objects.filter(user=user).first()
    if attributes is None:
        return {"consent": False}
    return {"consent": attributes.has_consented, **{name: getattr(attributes, name) for name in FIELDS}}


@router.get("/sensitive-attributes", response=SensitiveAttributesIO,
            summary="My optional attributes (gender, race or ethnicity, LGBTQ+), who sees each, and my consent")
def sensitive_attributes(request):
    return _attributes_out(request.auth)


@router.put("/sensitive-attributes", response=SensitiveAttributesIO,
            summary="Store my optional attributes with my consent, or withdraw it (they are deleted)")
def sensitive_attributes_edit(request, payload: SensitiveAttributesIO):
    user = request.auth
    if not payload.consent:  # the same withdrawal as on the privacy page: logged, confirmed, every copy dropped
        services.sensitive_consent_withdraw(by=user)
        return _attributes_out(user)
    data = payload.dict()
    data["lgbtq_identity"] = "" if payload.lgbtq_identity is None else str(payload.lgbtq_identity)
    data["consent"] = "on"
    attributes = SensitiveAttributes.objects.filter(user=user).first() or SensitiveAttributes(user=user)
    form = SensitiveAttributesForm(data, instance=attributes)  # the page's choices and rules
    if not form.is_valid():
        raise ValidationError({field: errors for field, errors in form.errors.items()})
    sensitive_attributes_update(person=user, by=user, consent=True,
                                data={k: v for k, v in form.cleaned_data.items() if k != "consent"})
    return _attributes_out(user)


class DataPolicyIO(Schema):
    keep_records_on_leave: bool = Field(description="Keep a leaver's closed relationships in the program's records")
    keep_mentor_records_on_erasure: bool = Field(description="On erasure, keep mentors' anonymised records")


def _policy_program(request, slug: str) -> Program:
    program = get_object_or_404(Program, slug=slug)
    if not permissions.can_set_data_policy(request.auth, program):
        raise PermissionDenied("Only the program's coordinators set its data policy.")
    return program


@router.get("/programs/{slug}/policy", response=DataPolicyIO,
            summary="What a program keeps when a person leaves it or asks for erasure (its coordinators)")
def program_data_policy(request, slug: str):
    return services.policy_of(_policy_program(request, slug))


@router.put("/programs/{slug}/policy", response=DataPolicyIO, summary="Set a program's data policy")
def program_data_policy_set(request, slug: str, payload: DataPolicyIO):
    return services.data_policy_set(program=_policy_program(request, slug), **payload.dict())
