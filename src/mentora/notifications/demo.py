"""The demo program words its own nudge email (the program's emails page shows it beside the defaults), and
the demo mentor has the notice of the program that asks them to join it (programs' part of the demo)."""

from mentora.programs.models import MembershipInvitation
from mentora.programs.services import invitation_notice

from .models import EmailTemplate, Notification


def generate(context) -> None:
    asked = MembershipInvitation.objects.filter(user=context.logins["mentor"]).select_related(
        "program__institution").order_by("pk").first()
    if asked is not None:  # as the service writes it (in the app only: demo people get no email)
        Notification.objects.create(user=context.logins["mentor"], in_app=True, email_wanted=False,
                                    **invitation_notice(asked))
    EmailTemplate.objects.create(
        program=context.demo_program, kind=EmailTemplate.Kind.NUDGE, updated_by=context.logins["coordinator"],
        subject="{{ program_name }}: a word about your learning plan",
        body="Dear {{ person_name }},\n\nThe program office asks you to {{ what }}. Book half an hour with your "
             "mentor this month; the chief residents are happy to help.\n\n{{ program_name }} program office",
    )
