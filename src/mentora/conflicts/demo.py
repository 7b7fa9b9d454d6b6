"""Conflicts of interest for the demo network: some mentors sit on their program's clinical competency
committee or evaluate rotations; the demo program warns (and lets its coordinators keep such a pair in a
batch match, with a reason), one program in ten forbids such pairs."""

from mentora.programs.models import Membership

from .models import ConflictPolicy, EvaluatingRole


def generate(context) -> None:
    rng = context.rng
    roles = []
    for mentor_id, program_id in context.mentor_program.items():
        draw = rng.random()
        if draw < 0.08:
            roles.append(EvaluatingRole(mentor_id=mentor_id, role=EvaluatingRole.Role.CCC_MEMBER, program_id=program_id))
        elif draw < 0.2:
            roles.append(EvaluatingRole(mentor_id=mentor_id, role=EvaluatingRole.Role.ROTATION_EVALUATOR,
                                        program_id=program_id, note="Inpatient wards"))
    demo_mentor = context.logins["mentor"]
    if not any(r.mentor_id == demo_mentor.pk for r in roles):
        demo_program_ids = Membership.objects.filter(user=demo_mentor).order_by("pk").values_list(
            "program_id", flat=True)[:1]
        for program_id in demo_program_ids:
            roles.append(EvaluatingRole(mentor_id=demo_mentor.pk, role=EvaluatingRole.Role.ROTATION_EVALUATOR,
                                        program_id=program_id, note="Cardiology rotation"))
    context.bulk_create(EvaluatingRole, roles, "evaluating roles")
    policies = [ConflictPolicy(program=program, forbid_evaluator_pairs=True)
                for index, program in enumerate(context.programs) if index % 10 == 9]
    # The demo coordinator's program lets its coordinators keep such a pair in a batch match, with a reason.
    coordinated = set(Membership.objects.filter(user=context.logins["coordinator"], role=Membership.Role.COORDINATOR)
                      .values_list("program_id", flat=True))
    forbidding = {policy.program_id for policy in policies}
    policies += [ConflictPolicy(program=program, coordinator_may_override=True) for program in context.programs
                 if program.pk in coordinated and program.pk not in forbidding]
    context.bulk_create(ConflictPolicy, policies, "conflict policies")
