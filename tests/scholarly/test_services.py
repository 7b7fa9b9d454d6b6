import datetime

import pytest
from django.core.exceptions import ValidationError

from mentora.scholarly.models import ScholarlyProject, StageChange
from mentora.scholarly.services import project_create, project_move

pytestmark = pytest.mark.django_db


def make_project(cast, **overrides):
    values = dict(by=cast["mentee_a"], title="Sepsis bundle compliance", kind="quality_improvement",
                  owners=[cast["mentee_a"]], mentors=[cast["mentor_a"]], program=cast["program"])
    values.update(overrides)
    return project_create(**values)


def test_create_records_the_first_stage_in_history(cast):
    project = make_project(cast)
    assert project.stage == "idea"
    assert list(project.owners.all()) == [cast["mentee_a"]]
    assert list(project.mentors.all()) == [cast["mentor_a"]]
    assert list(project.stage_changes.values_list("from_stage", "to_stage")) == [("", "idea")]


def test_move_keeps_a_dated_history_forwards_and_back(cast):
    project = make_project(cast, today=datetime.date(2026, 1, 1))
    project_move(project=project, stage="proposal", by=cast["mentor_a"], today=datetime.date(2026, 2, 1))
    project_move(project=project, stage="irb", by=cast["mentee_a"], today=datetime.date(2026, 3, 1))
    project_move(project=project, stage="proposal", by=cast["mentor_a"], today=datetime.date(2026, 3, 5))
    project.refresh_from_db()
    assert project.stage == "proposal" and project.stage_changed_on == datetime.date(2026, 3, 5)
    assert list(project.stage_changes.values_list("from_stage", "to_stage", "changed_on")) == [
        ("", "idea", datetime.date(2026, 1, 1)),
        ("idea", "proposal", datetime.date(2026, 2, 1)),
        ("proposal", "irb", datetime.date(2026, 3, 1)),
        ("irb", "proposal", datetime.date(2026, 3, 5)),
    ]


def test_moving_to_the_same_stage_adds_no_history(cast):
    project = make_project(cast)
    project_move(project=project, stage="idea", by=cast["mentee_a"])
    assert project.stage_changes.count() == 1


def test_unknown_stage_is_refused_without_writing(cast):
    project = make_project(cast)
    with pytest.raises(ValidationError):
        project_move(project=project, stage="famous", by=cast["mentee_a"])
    assert StageChange.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("overrides", [
    {"title": "  "}, {"kind": "novel"}, {"owners": []},
    {"abstract_deadline": datetime.date(2026, 5, 1), "submission_deadline": datetime.date(2026, 4, 1)},
])
def test_bad_input_writes_nothing(cast, overrides):
    with pytest.raises(ValidationError):
        make_project(cast, **overrides)
    assert not ScholarlyProject.objects.exists()
