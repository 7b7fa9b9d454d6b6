"""Background work of the directory: the recommendations' mentor side, built ahead of the first request."""

from django_tasks import task

from mentora.core import warmup

from . import matching

WARMUP = "directory-mentor-side"


@task()
def mentor_side_warm_task() -> None:
    """Build the mentor side of recommendations for the current data version and share it (mentora.core.warmup).

    Nothing to do when it is shared already; a copy built while the data changed is never shared."""
    warmup.started(WARMUP)
    matching.mentor_side(warm_up=True)
