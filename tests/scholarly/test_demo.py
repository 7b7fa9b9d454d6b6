import pytest

from mentora.scholarly.models import ScholarlyProject, StageChange

pytestmark = pytest.mark.django_db


def test_demo_projects_have_owners_histories_ending_at_their_stage(demo_network):
    demo_mentee = demo_network.logins["mentee"]
    assert ScholarlyProject.objects.filter(owners=demo_mentee).count() == 3
    for project in ScholarlyProject.objects.all()[:50]:
        history = list(StageChange.objects.filter(project=project).order_by("changed_on", "id"))
        assert history[-1].to_stage == project.stage
        assert history[-1].changed_on == project.stage_changed_on
        assert project.owners.exists()
