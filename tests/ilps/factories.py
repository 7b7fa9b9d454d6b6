import datetime

import factory
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.ilps.models import Goal, LearningPlan
from tests.factories import UserFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningPlan

    mentee = factory.SubFactory(UserFactory)
    academic_year = factory.LazyFunction(current_academic_year)
    career_vision = "Academic hospitalist who teaches and runs quality improvement."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    statement = "Present two case reports at the regional ACP meeting by 30 April"
    measure = "Two posters presented"
    target_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=150))
    domain = "research"


SMART_GOAL = "Complete 10 supervised ultrasound-guided IV placements by 31 March, logged in the procedure log"
