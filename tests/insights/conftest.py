import pytest


@pytest.fixture
def grow(db):
    """Add n matched mentees (with a mentor, a scholarly project and a concordance wish) to a program."""
    from mentora.scholarly.services import project_create
    from tests.factories import (
        MembershipFactory,
        MentorOfferFactory,
        RelationshipFactory,
        SensitiveAttributesFactory,
    )

    def add(program, n, *, level="pgy1", gender="woman", mentor_gender="woman", source="request"):
        mentor = MembershipFactory(program=program, role="mentor", training_level="faculty").user
        MentorOfferFactory(user=mentor, capacity=2)
        SensitiveAttributesFactory(user=mentor, gender=mentor_gender, concordance_consent=["gender"])
        mentees = []
        for _ in range(n):
            mentee = MembershipFactory(program=program, role="mentee", training_level=level).user
            SensitiveAttributesFactory(user=mentee, gender=gender, concordance_wanted=["gender"])
            RelationshipFactory(mentee=mentee, mentor=mentor, program=program, source=source)
            project_create(by=mentee, title=f"Project of {mentee.full_name}", kind="case_report",
                           owners=[mentee], mentors=[mentor], program=program)
            mentees.append(mentee)
        return mentees

    return add
