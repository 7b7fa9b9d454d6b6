import pytest

from mentora.scholarly.permissions import (
    can_start_project_for,
    can_view_program_board,
    can_view_project,
    visible_projects,
)
from tests.factories import MembershipFactory

from .test_services import make_project

pytestmark = pytest.mark.django_db


def test_owner_project_mentor_and_program_coordinator_see_a_project(cast):
    project = make_project(cast)
    for who in ("mentee_a", "mentor_a", "coordinator", "admin"):
        assert can_view_project(cast[who], project), who
    for who in ("mentee_b", "other_mentor", "other_coordinator"):
        assert not can_view_project(cast[who], project), who


def test_a_mentor_not_on_the_project_does_not_see_it(cast):
    project = make_project(cast, mentors=[])
    assert not can_view_project(cast["mentor_a"], project)


def test_visible_projects_lists_no_other_programs_projects(cast):
    mine = make_project(cast)
    outsider = MembershipFactory(program=cast["other_program"], role="mentee").user
    theirs = make_project(cast, owners=[outsider], mentors=[], program=cast["other_program"], by=outsider)
    assert list(visible_projects(cast["coordinator"])) == [mine]
    assert list(visible_projects(cast["other_coordinator"])) == [theirs]
    assert list(visible_projects(cast["mentee_b"])) == []


def test_program_board_and_starting_projects(cast):
    assert can_view_program_board(cast["coordinator"], cast["program"])
    assert not can_view_program_board(cast["other_coordinator"], cast["program"])
    assert not can_view_program_board(cast["mentee_a"], cast["program"])
    assert can_start_project_for(cast["mentee_a"], cast["mentee_a"])
    assert can_start_project_for(cast["mentor_a"], cast["mentee_a"])
    assert can_start_project_for(cast["coordinator"], cast["mentee_a"])
    assert not can_start_project_for(cast["mentor_a"], cast["mentee_b"])
    assert not can_start_project_for(cast["other_coordinator"], cast["mentee_a"])
    assert not can_start_project_for(cast["mentee_b"], cast["mentee_a"])
