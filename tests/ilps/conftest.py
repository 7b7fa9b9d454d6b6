import datetime

import pytest
from django.utils import timezone

from mentora.ilps import services


@pytest.fixture
def future():
    return timezone.localdate() + datetime.timedelta(days=120)


@pytest.fixture
def plan_a(cast):
    """Mentee A's plan for this year (A's program), with one goal."""
    plan = services.plan_create(mentee=cast["mentee_a"], career_vision="Academic cardiologist")
    services.goal_create(plan=plan, by=cast["mentee_a"], data={
        "statement": "Present two case reports at the regional ACP meeting by 30 April",
        "measure": "Two posters presented", "target_date": timezone.localdate() + datetime.timedelta(days=150),
        "domain": "research",
    })
    return plan
