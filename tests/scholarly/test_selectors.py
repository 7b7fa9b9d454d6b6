import datetime

import pytest
from django.utils import timezone

from mentora.scholarly.models import ScholarlyProject
from mentora.scholarly.selectors import is_stalled, pipeline_counts, project_board
from mentora.scholarly.services import project_move

from .test_services import make_project

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def test_board_puts_cards_in_stage_columns_and_flags_stalled(cast, settings):
    settings.MENTORA_SCHOLARLY_STALLED_DAYS = 30
    old = make_project(cast, title="Old", today=days_ago(45))
    fresh = make_project(cast, title="Fresh", today=days_ago(5))
    done = make_project(cast, title="Done", today=days_ago(400))
    project_move(project=done, stage="published", by=cast["mentee_a"], today=days_ago(300))
    board = project_board(projects=ScholarlyProject.objects.all())
    columns = {c.stage: [p.title for p in c.cards] for c in board.columns}
    assert columns["idea"] == ["Old", "Fresh"] and columns["published"] == ["Done"]
    assert [c.stage for c in board.columns][:3] == ["idea", "proposal", "irb"]
    stalled = {p.title for c in board.columns for p in c.cards if p.is_stalled}
    assert stalled == {"Old"}  # a published project is never stalled
    assert board.stalled == 1 and board.total == 3
    # The threshold is configurable per board.
    assert project_board(projects=ScholarlyProject.objects.all(), stalled_days=60).stalled == 0
    assert is_stalled(ScholarlyProject.objects.get(pk=fresh.pk), days=3)
    assert not is_stalled(ScholarlyProject.objects.get(pk=old.pk), days=50)


def test_pipeline_counts_by_stage(cast, settings):
    settings.MENTORA_SCHOLARLY_STALLED_DAYS = 30
    make_project(cast, today=days_ago(100))
    second = make_project(cast)
    project_move(project=second, stage="irb", by=cast["mentee_a"])
    counts = pipeline_counts(projects=ScholarlyProject.objects.all())
    by_stage = {row["stage"]: (row["count"], row["stalled"]) for row in counts["stages"]}
    assert by_stage["idea"] == (1, 1) and by_stage["irb"] == (1, 0) and by_stage["published"] == (0, 0)
    assert counts["total"] == 2 and counts["stalled"] == 1


def test_a_limited_board_loads_only_the_oldest_cards_but_counts_every_project(cast, settings,
                                                                              django_assert_max_num_queries):
    settings.MENTORA_SCHOLARLY_STALLED_DAYS = 30
    for age in (50, 40, 35, 20, 10):
        make_project(cast, title=f"Idea {age}", today=days_ago(age))
    moved = make_project(cast, title="Proposal", today=days_ago(60))
    project_move(project=moved, stage="proposal", by=cast["mentee_a"], today=days_ago(45))
    with django_assert_max_num_queries(4):  # counts, cards, owners, mentors
        board = project_board(projects=ScholarlyProject.objects.all(), limit_per_stage=2)
        columns = {c.stage: c for c in board.columns}
        assert [p.title for p in columns["idea"].cards] == ["Idea 50", "Idea 40"]
        assert [p.owners.all()[0] for p in columns["idea"].cards] == [cast["mentee_a"]] * 2
    assert columns["idea"].count == 5 and columns["proposal"].count == 1
    assert [p.title for p in columns["proposal"].cards] == ["Proposal"]
    assert board.total == 6 and board.stalled == 4  # 50, 40, 35 and the proposal: counted, loaded or not
