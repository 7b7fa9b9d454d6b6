from mentora.conflicts.models import ConflictPolicy, EvaluatingRole
from mentora.conflicts.selectors import conflict_map


def test_demo_conflicts(demo_network):
    assert EvaluatingRole.objects.filter(mentor=demo_network.logins["mentor"]).exists()
    assert EvaluatingRole.objects.count() > 1
    assert ConflictPolicy.objects.filter(forbid_evaluator_pairs=True).count() == len(demo_network.programs) // 10
    assert conflict_map(mentee_ids=demo_network.mentee_ids)  # some generated pairs would be flagged


def test_the_demo_coordinators_program_lets_them_keep_a_conflict_pair(demo_network):
    from mentora.programs.models import Membership

    coordinated = Membership.objects.filter(user=demo_network.logins["coordinator"], role="coordinator")
    assert ConflictPolicy.objects.filter(program_id__in=coordinated.values("program_id"),
                                         coordinator_may_override=True, forbid_evaluator_pairs=False).exists()
