"""Which tasks may run again after a failure, how often, after how long, and why that is safe.

Each task declares its policy where it is defined (`@retry_safe(why=...)` over `@task()`), so a reader
sees beside the code why a second run cannot double an effect: the idempotency key or the state check
that makes it harmless. A task without a policy is never retried by itself; an admin can still retry it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

# Failures that a second run cannot mend: the work was refused, or what it works on is gone.
PERMANENT_ERRORS = (
    "django.core.exceptions.ValidationError",
    "django.core.exceptions.PermissionDenied",
    "django.core.exceptions.ObjectDoesNotExist",
    "mentora.core.task_policy.PermanentFailure",
)


class PermanentFailure(Exception):
    """Raised by a task whose failure a retry cannot mend (bad input, refused work)."""


@dataclass(frozen=True)
class RetryPolicy:
    label: str
    why: str
    attempts: int
    # Called with the task's args and kwargs when it is queued again, so the page of the person who
    # asked for the work says "queued again" instead of "failed" or "running".
    on_requeue: Callable[..., None] | None = None


POLICIES: dict[str, RetryPolicy] = {}
LABELS: dict[str, str] = {}


def retry_safe(*, label: str, why: str, attempts: int = 4, on_requeue: Callable[..., None] | None = None):
    """Declare a task safe to run again: `why` names what makes a second run harmless."""

    def register(task):
        POLICIES[task.module_path] = RetryPolicy(label=label, why=why, attempts=attempts, on_requeue=on_requeue)
        LABELS[task.module_path] = label
        return task

    return register


def policy_for(task_path: str) -> RetryPolicy | None:
    return POLICIES.get(task_path)


def label_for(task_path: str) -> str:
    return LABELS.get(task_path) or task_path.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def is_permanent(exception_class_path: str) -> bool:
    return exception_class_path in PERMANENT_ERRORS or exception_class_path.endswith(".DoesNotExist")


def backoff(attempt: int) -> datetime.timedelta:
    """Wait before attempt `attempt + 1`: 30 s, 2 min, 8 min, ... (base from TASK_RETRY_BASE_SECONDS), at most 1 h."""
    base = float(getattr(settings, "TASK_RETRY_BASE_SECONDS", 30))
    return datetime.timedelta(seconds=min(3600.0, base * 4 ** max(0, attempt - 1)))
