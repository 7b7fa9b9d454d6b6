import pytest
from django.db import IntegrityError, transaction

from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load, relationships_of_mentee
from mentora.relationships.services import relationship_create
from tests.factories import UserFactory


@pytest.mark.django_db
def test_create_active_relationship_sets_start_date():
    mentee, mentor = UserFactory(), UserFactory()
    relationship = relationship_create(mentee=mentee, mentor=mentor, kind="research")
    assert relationship.status == "active" and relationship.started_on is not None
    assert list(relationships_of_mentee(mentee=mentee)) == [relationship]
    assert mentor_load(mentor=mentor) == 1


@pytest.mark.django_db
def test_one_open_relationship_per_pair_and_kind():
    mentee, mentor = UserFactory(), UserFactory()
    relationship_create(mentee=mentee, mentor=mentor, kind="career")
    with pytest.raises(IntegrityError), transaction.atomic():
        relationship_create(mentee=mentee, mentor=mentor, kind="career")
    relationship_create(mentee=mentee, mentor=mentor, kind="research")  # another kind is fine


@pytest.mark.django_db
def test_closed_relationship_allows_a_new_one():
    mentee, mentor = UserFactory(), UserFactory()
    first = relationship_create(mentee=mentee, mentor=mentor)
    first.status = Relationship.Status.CLOSED
    first.save()
    relationship_create(mentee=mentee, mentor=mentor)
    assert Relationship.objects.filter(mentee=mentee).count() == 2


@pytest.mark.django_db
def test_nobody_mentors_themselves():
    person = UserFactory()
    with pytest.raises(ValueError):
        relationship_create(mentee=person, mentor=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(mentee=person, mentor=person)
