"""Program invitations in the demo network: existing accounts asked to join another program.

The demo mentor is asked to join a second program (the banner on their dashboard, the notice, the
invitations page); the demo program has asked a mentor of another program (awaiting their answer)
and a resident of another program (who declined), as its people page shows. Across the network
about one mentor in two hundred is asked to join a second program (the demo mentor's notice is the
notifications app's part of the demo)."""

import datetime

from django.utils import timezone

from .models import MembershipInvitation


def generate(context) -> None:
    rng, year, demo_program = context.rng, context.academic_year, context.demo_program
    others = [program for program in context.programs if program.pk != demo_program.pk]
    if not others:
        return
    now = timezone.now()
    coordinator = context.logins["coordinator"]
    invitations = [MembershipInvitation(
        user=context.logins["mentor"], program=others[0], academic_year=year, role="mentor",
        training_level="faculty", invited_at=now - datetime.timedelta(days=2))]
    outside_mentor = next((m for m, p in context.mentor_program.items() if p != demo_program.pk), None)
    if outside_mentor is not None:
        invitations.append(MembershipInvitation(
            user_id=outside_mentor, program=demo_program, academic_year=year, role="mentor",
            training_level="faculty", invited_by=coordinator, source=MembershipInvitation.Source.BY_HAND,
            invited_at=now - datetime.timedelta(days=5)))
    outside_mentee = next((m for m, p in context.mentee_program.items() if p != demo_program.pk), None)
    if outside_mentee is not None:
        invitations.append(MembershipInvitation(
            user_id=outside_mentee, program=demo_program, academic_year=year, role="mentee", training_level="pgy1",
            invited_by=coordinator, invited_at=now - datetime.timedelta(days=9),
            status=MembershipInvitation.Status.DECLINED, answered_at=now - datetime.timedelta(days=8)))
    taken = {(i.user_id or i.user.pk, i.program.pk) for i in invitations}
    for mentor_id, program_id in context.mentor_program.items():
        if rng.random() < 0.005:
            program = rng.choice(others)
            if program.pk != program_id and (mentor_id, program.pk) not in taken:
                taken.add((mentor_id, program.pk))
                invitations.append(MembershipInvitation(
                    user_id=mentor_id, program=program, academic_year=year, role="mentor", training_level="faculty",
                    invited_at=now - datetime.timedelta(days=rng.randint(0, 20))))
    context.bulk_create(MembershipInvitation, invitations, "program invitations")
