"""The console's part of the demo: an audit trail of a site admin's work (a program's settings changed,
a person's lost authenticator reset, a departed mentor's account deactivated), written through the
console's own services so each entry describes a change that happened."""

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from . import services
from .forms import ProgramForm


def generate(context) -> None:
    admin = context.logins.get("admin")
    if admin is None:
        return
    User = get_user_model()
    program = context.demo_program

    form = ProgramForm({"name": program.name, "slug": program.slug, "institution": program.institution_id,
                        "network": program.network_id or "", "specialty": program.specialty,
                        "review_frequency": program.review_frequency,
                        "meeting_cadence_days": program.meeting_cadence_days, "request_expiry_days": 21},
                       instance=program)
    if form.is_valid():
        services.record_save(form=form, action="program", by=admin)
    coordinator = context.logins.get("coordinator")
    if coordinator is not None:
        Authenticator.objects.create(user=coordinator, type=Authenticator.Type.RECOVERY_CODES,
                                     data={"seed": "demo", "used_mask": 0})
        services.person_mfa_reset(person=coordinator, reason="Lost their phone; identity confirmed by the program "
                                                             "director on a call", by=admin)
    # The departed mentor had stopped taking new mentees before leaving, as a retiring mentor does: their
    # account is switched off, and the mentors the demo's mentees can still ask stay the same.
    logins = {u.pk for u in context.logins.values()}
    mentors = User.objects.filter(pk__in=context.mentor_ids).exclude(pk__in=logins)
    departed = (mentors.filter(mentor_offer__accepting_new_mentees=False).order_by("-pk").first()
                or mentors.order_by("-pk").first())
    if departed is not None:
        services.person_deactivate(person=departed, reason="Retired from the faculty in June; relationships handed "
                                                           "over", by=admin)
