import pytest

from mentora.webhooks.models import Delivery, Subscription


@pytest.mark.django_db
def test_the_demo_program_has_a_subscription_with_a_delivery_log(demo_network, client):
    subscription = Subscription.objects.get(program=demo_network.demo_program)
    assert sorted(subscription.deliveries.values_list("status", flat=True)) == ["delivered", "delivered", "failed"]
    retried = Delivery.objects.get(event__kind="plan.submitted")
    assert [a.status_code for a in retried.attempt_log.order_by("at")] == [500, 200]
    client.force_login(demo_network.logins["coordinator"])
    page = client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert "plan.submitted" in page and "Send again" in page
