import pytest

from mentora.core.demo import DEMO_LOGINS
from mentora.programs.models import Membership, MembershipInvitation

from .conftest import log_in, log_out, screenshot


@pytest.mark.django_db(transaction=True)
def test_an_existing_account_is_asked_and_answers(checked_page, live_server, demo_network):
    page, checker = checked_page
    page.set_default_navigation_timeout(60000)  # the demo network and a cold browser on a busy machine
    program = demo_network.demo_program
    log_in(checked_page, live_server.url, DEMO_LOGINS["coordinator"])
    page.get_by_role("link", name=program.name).first.click()
    checker.check()
    assert page.get_by_text("Awaiting their answer").first.is_visible()
    assert page.get_by_text("Declined").first.is_visible()
    screenshot(page, "program-people")

    # Adding by hand someone who has an account elsewhere asks them: the network coordinator here.
    page.get_by_role("link", name="Add a person").click()
    checker.check()
    page.get_by_label("Email").fill(DEMO_LOGINS["network"])
    page.get_by_label("Role").select_option("mentor")
    page.get_by_role("button", name="Add").click()
    checker.check()
    assert page.get_by_text("already has a Mentora account: they are asked to join").is_visible()
    screenshot(page, "program-person-added-by-hand")
    network = demo_network.logins["network"]
    assert not Membership.objects.filter(user=network, program=program).exists()

    log_out(checked_page)
    log_in(checked_page, live_server.url, DEMO_LOGINS["network"])
    assert page.get_by_text("1 program asks you to join.").is_visible()
    screenshot(page, "invitations-banner")
    page.get_by_role("link", name="See the invitation").click()
    checker.check()
    screenshot(page, "program-invitations")
    page.get_by_role("button", name="Accept and join").click()
    checker.check()
    assert page.get_by_text(f"You have joined {program.name}.").is_visible()
    assert Membership.objects.get(user=network, program=program, role="mentor").is_active
    assert MembershipInvitation.objects.get(user=network, program=program).status == "accepted"
