from mentora.ilps.models import Goal, LearningPlan, ProgressUpdate, SignOff
from mentora.ilps.permissions import can_review_plan
from mentora.relationships.models import Relationship


def test_demo_plans_at_every_stage(demo_network):
    mentees = len(demo_network.mentee_ids)
    plans = LearningPlan.objects.exclude(mentee=demo_network.logins["mentee"])
    assert 0.3 * mentees <= plans.count() <= 0.9 * mentees
    assert {"draft", "submitted", "approved"} <= set(plans.values_list("status", flat=True))
    for plan in LearningPlan.objects.filter(status="approved"):
        assert plan.sign_offs.filter(reopened_at__isnull=True, mentor=plan.approved_by).exists()
        assert Relationship.objects.filter(mentee=plan.mentee, mentor=plan.approved_by).exists()
    assert SignOff.objects.filter(reopened_at__isnull=False).count() <= SignOff.objects.count()
    assert all(2 <= plan.goals.count() <= 4 for plan in plans[:30])
    for update in ProgressUpdate.objects.select_related("goal__plan")[:50]:
        assert update.author_id == update.goal.plan.mentee_id
        assert update.percent_done == update.goal.percent_done


def test_demo_mentee_has_a_draft_and_the_demo_mentor_has_a_plan_to_sign(demo_network):
    mentee, mentor = demo_network.logins["mentee"], demo_network.logins["mentor"]
    own = LearningPlan.objects.get(mentee=mentee)
    assert own.status == "draft" and own.goals.count() == 2 and own.milestones.exists()
    assert can_review_plan(mentor, own)
    waiting = LearningPlan.objects.filter(status="submitted", mentee__relationships_as_mentee__mentor=mentor)
    assert waiting.exists() and can_review_plan(mentor, waiting.first())
    assert Goal.objects.filter(plan=own, statement__startswith="Understand").exists()
