"""Background work of webhooks: one delivery, tried by `mentora worker` and retried with back-off."""

from django_tasks import task

from mentora.core.task_policy import retry_safe

from . import services

# How many tries a delivery gets (the first and the retries of the background policy).
DELIVERY_ATTEMPTS = 6


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx: the task fails so the retry policy queues it again later."""


@retry_safe(label="Deliver a webhook", attempts=DELIVERY_ATTEMPTS,
            why="a try first claims the delivery by its status (a delivered one is never sent again), and "
            "every try carries the event's fixed webhook-id, so a receiver drops a repeat it already took")
@task()
def deliver_webhook(delivery_id: int) -> bool:
    if not services.delivery_attempt(delivery_id=delivery_id):
        raise DeliveryFailed(f"Delivery {delivery_id} failed; it will be tried again.")
    return True
