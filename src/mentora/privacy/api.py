"""A person's own privacy actions in the REST API: leave a program, withdraw consent to optional attributes.
(Erasing one's account asks for the account's email typed again on the page, and stays there.)"""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from mentora.programs.models import Program

from . import services

router = Router(tags=["privacy"])


class DoneOut(Schema):
    done: bool
    detail: str


@router.post("/withdraw-consent", response=DoneOut,
             summary="Delete your optional attributes now (they are no longer used in matching)")
def consent_withdraw(request):
    withdrawn = services.sensitive_consent_withdraw(user=request.auth) is not None
    return {"done": withdrawn, "detail": "Your optional attributes are deleted." if withdrawn
            else "You had no optional attributes stored."}


@router.post("/programs/{slug}/leave", response=DoneOut,
             summary="Leave a program: your memberships end and your open relationships in it close")
def program_leave(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    services.program_leave(user=request.auth, program=program)
    return {"done": True, "detail": f"You have left {program.name}."}
