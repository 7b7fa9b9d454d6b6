"""The link from agenda items to ILP goals: an agenda item may name one of the mentee's open goals."""

from mentora.ilps.selectors import goal_choices_for


def goal_choices(*, mentee_id: int) -> list[tuple[int, str]]:
    return goal_choices_for(mentee_id=mentee_id)


def goal_belongs_to(*, goal_id: int, mentee_id: int) -> bool:
    return any(goal == goal_id for goal, _label in goal_choices(mentee_id=mentee_id))


def goal_labels(*, mentee_id: int) -> dict[int, str]:
    return dict(goal_choices(mentee_id=mentee_id))
