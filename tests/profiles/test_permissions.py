import pytest
from django.contrib.auth.models import AnonymousUser

from mentora.profiles import permissions
from tests.factories import ImgDetailsFactory, SensitiveAttributesFactory


@pytest.mark.parametrize(
    ("viewer", "person", "allowed"),
    [
        ("mentee_a", "mentee_a", True),
        ("mentee_b", "mentee_a", False),  # another mentee never sees a mentee's profile
        ("mentor_a", "mentee_a", True),  # A's mentor
        ("other_mentor", "mentee_a", False),
        ("coordinator", "mentee_a", True),  # A's program coordinator
        ("other_coordinator", "mentee_a", False),
        ("admin", "mentee_a", True),
        ("mentee_b", "mentor_a", True),  # mentors are in the directory
        ("other_coordinator", "mentor_a", True),
    ],
)
def test_can_view_profile(cast, viewer, person, allowed):
    assert permissions.can_view_profile(cast[viewer], cast[person]) is allowed


def test_anonymous_sees_no_profile(cast):
    assert permissions.can_view_profile(AnonymousUser(), cast["mentor_a"]) is False


def test_visa_is_private_unless_shared_with_mentors(cast):
    details = ImgDetailsFactory(user=cast["mentee_a"], visa_status="j1")
    assert permissions.can_view_visa(cast["mentee_a"], cast["mentee_a"])
    assert not permissions.can_view_visa(cast["mentor_a"], cast["mentee_a"])
    assert not permissions.can_view_visa(cast["coordinator"], cast["mentee_a"])
    details.visa_visible_to_mentors = True
    details.save()
    cast["mentee_a"].refresh_from_db()
    assert permissions.can_view_visa(cast["mentor_a"], cast["mentee_a"])
    assert not permissions.can_view_visa(cast["other_mentor"], cast["mentee_a"])
    assert not permissions.can_view_visa(cast["coordinator"], cast["mentee_a"])


def test_sensitive_fields_follow_per_field_visibility(cast):
    SensitiveAttributesFactory(user=cast["mentor_a"], gender="woman", race_ethnicity="asian",
                               gender_visibility="directory", race_ethnicity_visibility="private")
    shown = permissions.visible_sensitive_fields(cast["mentee_b"], cast["mentor_a"])
    assert shown == {"Gender": "Woman"}
    own = permissions.visible_sensitive_fields(cast["mentor_a"], cast["mentor_a"])
    assert own["Race or ethnicity"] == "Asian"


def test_mentor_only_visibility(cast):
    SensitiveAttributesFactory(user=cast["mentee_a"], gender="woman", gender_visibility="mentors")
    assert permissions.visible_sensitive_fields(cast["mentor_a"], cast["mentee_a"]) == {"Gender": "Woman"}
    assert permissions.visible_sensitive_fields(cast["coordinator"], cast["mentee_a"]) == {}
    assert permissions.visible_sensitive_fields(cast["other_mentor"], cast["mentee_a"]) == {}


def test_unconsented_attributes_are_never_shown(cast):
    SensitiveAttributesFactory(user=cast["mentor_a"], consented_at=None, gender_visibility="directory")
    assert permissions.visible_sensitive_fields(cast["mentee_b"], cast["mentor_a"]) == {}
