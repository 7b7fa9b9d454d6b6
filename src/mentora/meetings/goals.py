"""The pluggable link from agenda items to ILP goals.

The ILP app, when installed, provides ``mentora.ilps.selectors.goal_choices_for(mentee_id=...)``
returning ``[(goal_id, label), ...]``. Without it agenda items simply carry no goal.
"""

from importlib import import_module

from django.apps import apps


def _provider():
    if not apps.is_installed("mentora.ilps"):
        return None
    try:
        module = import_module("mentora.ilps.selectors")
    except ImportError:
        return None
    return getattr(module, "goal_choices_for", None)


def goal_choices(*, mentee_id: int) -> list[tuple[int, str]]:
    provider = _provider()
    return list(provider(mentee_id=mentee_id)) if provider else []


def goal_belongs_to(*, goal_id: int, mentee_id: int) -> bool:
    return any(goal == goal_id for goal, _label in goal_choices(mentee_id=mentee_id))


def goal_labels(*, mentee_id: int) -> dict[int, str]:
    return dict(goal_choices(mentee_id=mentee_id))
