import datetime

import pytest
from django.utils import timezone

from mentora.meetings import services
from mentora.relationships.models import Relationship


@pytest.fixture
def rel(cast):
    """The cast's active relationship: mentee_a mentored by mentor_a in `program`."""
    return Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])


def future(days: int = 3, hour: int = 15) -> datetime.datetime:
    day = timezone.now() + datetime.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def meeting(rel, cast):
    return services.meeting_schedule(relationship=rel, by=cast["mentor_a"], starts_at=future(),
                                     time_zone="America/Chicago", duration_minutes=30, mode="video",
                                     video_url="https://meet.example.org/abc")
