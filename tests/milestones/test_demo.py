from mentora.milestones.models import PlanMilestone
from mentora.profiles.models import ImgDetails


def test_demo_milestones(demo_network):
    demo_mentee = demo_network.logins["mentee"]
    assert PlanMilestone.objects.filter(user=demo_mentee).count() == 3
    others = PlanMilestone.objects.exclude(user=demo_mentee)
    assert others.exists()
    # Visa steps only for people with that visa.
    j1 = set(ImgDetails.objects.filter(visa_status="j1").values_list("user_id", flat=True))
    assert set(others.filter(template_key="j1_annual_renewal").values_list("user_id", flat=True)) <= j1
