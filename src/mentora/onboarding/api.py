"""The first-steps checklist over the API: putting away one's checklist of a role (the steps themselves are the
data of other operations: the profile, match preferences, goals, requests)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema

from .services import first_steps_dismiss

router = Router(tags=["onboarding"])


class FirstStepsDismissIn(Schema):
    role: Literal["mentee", "mentor"] = Field(description="Which of one's checklists to put away")


class FirstStepsOut(Schema):
    mentee_dismissed_at: datetime | None = Field(description="When the mentee's checklist was put away (null: shown)")
    mentor_dismissed_at: datetime | None = Field(description="When the mentor's checklist was put away (null: shown)")


@router.post("/first-steps/dismiss", response=FirstStepsOut, summary="Put away one's first-steps checklist of a role")
def dismiss(request, body: FirstStepsDismissIn):
    state = first_steps_dismiss(role=body.role, by=request.auth)
    return {"mentee_dismissed_at": state.mentee_dismissed_at, "mentor_dismissed_at": state.mentor_dismissed_at}
