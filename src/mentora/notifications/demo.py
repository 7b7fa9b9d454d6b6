"""The demo program words its own nudge email (the program's emails page shows it beside the defaults)."""

from .models import EmailTemplate


def generate(context) -> None:
    EmailTemplate.objects.create(
        program=context.demo_program, kind=EmailTemplate.Kind.NUDGE, updated_by=context.logins["coordinator"],
        subject="{{ program_name }}: a word about your learning plan",
        body="Dear {{ person_name }},\n\nThe program office asks you to {{ what }}. Book half an hour with your "
             "mentor this month; the chief residents are happy to help.\n\n{{ program_name }} program office",
    )
