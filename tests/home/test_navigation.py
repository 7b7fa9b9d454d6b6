"""The navigation is defined once (mentora.home.navigation) and shown by role: at most six primary places,
personal pages only in the account menu, mentee pages never in a mentor's or coordinator's navigation, and a
role switcher for people with several roles, remembered in the session."""

import re

import pytest
from django.urls import reverse

from mentora.home import navigation
from tests.factories import MembershipFactory, MentorOfferFactory, NetworkFactory, UserFactory

PERSONAL = ("profiles:profile_me", "notifications:notification_list", "notifications:notification_preferences", "privacy:privacy_home", "tokens:api_tokens",
            "dataio:export_page", "account_email", "account_change_password", "mfa_index")
MENTEE_ONLY = ("directory:directory", "milestones:milestone_list", "directory:mentoring_team", "directory:match_preferences", "directory:recommended")


def _nav(html: str) -> str:
    match = re.search(r'<nav class="site-nav" aria-label="Main"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "no main navigation"
    return match.group(1)


def _primary_hrefs(html: str) -> list[str]:
    return re.findall(r'<li><a href="([^"]+)"', _nav(html))


def _menu(html: str) -> str:
    return re.search(r'<details class="account-menu">(.*?)</details>', html, re.S).group(1)


def test_every_role_has_at_most_six_primary_places_and_none_personal():
    for role in navigation.ROLE_NAVIGATIONS:
        assert 1 <= len(role.primary) <= navigation.MAX_PRIMARY, role.key
        names = {destination.url_name for destination in role.primary}
        assert not names & set(PERSONAL), role.key
        for destination in (*role.primary, *role.tools):
            reverse(destination.url_name)  # every destination is a real page
        if role.key != "mentee":
            # Network coordinators search the directory to refer mentees; nobody else but mentees goes there.
            mentee_pages = set(MENTEE_ONLY) - ({"directory:directory"} if role.key == "network_coordinator" else set())
            assert not names & mentee_pages, role.key


@pytest.fixture
def people(db):
    network = NetworkFactory()
    mentee = MembershipFactory(role="mentee").user
    mentor = MembershipFactory(role="mentor", training_level="faculty").user
    MentorOfferFactory(user=mentor)
    coordinator = MembershipFactory(role="coordinator").user
    network_coordinator = UserFactory()
    network.coordinators.add(network_coordinator)
    admin = UserFactory(is_staff=True, is_superuser=True)
    newcomer = UserFactory()
    return {"mentee": mentee, "mentor": mentor, "coordinator": coordinator,
            "network_coordinator": network_coordinator, "admin": admin, "newcomer": newcomer}


EXPECTED = {
    "mentee": ["home:home", "directory:directory", "ilps:ilp_list", "meetings:my_mentoring", "scholarly:scholarly_my_board", "milestones:milestone_list"],
    "newcomer": ["home:home", "directory:directory", "ilps:ilp_list", "meetings:my_mentoring", "scholarly:scholarly_my_board", "milestones:milestone_list"],
    "mentor": ["home:home", "meetings:my_mentees", "directory:request_list", "meetings:my_mentoring", "ilps:ilp_list", "scholarly:scholarly_my_board"],
    "coordinator": ["home:home", "insights:insights_dashboard", "batchmatch:match_run_list", "ilps:ilp_list", "scholarly:scholarly_my_board", "directory:request_list"],
    "network_coordinator": ["home:home", "insights:network_dashboard", "directory:referral_list", "directory:directory", "directory:request_list", "scholarly:scholarly_my_board"],
    "admin": ["home:home", "console:home", "insights:insights_dashboard", "dataio:import_start", "background:background_work", "admin:index"],
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_sees_its_own_places(client, people, who):
    client.force_login(people[who])
    html = client.get(reverse("home:home")).content.decode()
    assert _primary_hrefs(html) == [reverse(name) for name in EXPECTED[who]]
    nav = _nav(html)
    for name in PERSONAL:
        assert f'href="{reverse(name)}"' not in nav, name
        assert f'href="{reverse(name)}"' in _menu(html), name
    if who not in ("mentee", "newcomer"):
        for name in ("milestones:milestone_list", "directory:mentoring_team", "directory:match_preferences", "directory:recommended"):
            assert f'href="{reverse(name)}"' not in nav, name
    assert 'aria-current="page"' in nav  # Home is marked on the home page
    assert "Switch to" not in html  # one role: no switcher


def test_the_current_place_is_marked_on_its_inner_pages(client, people):
    client.force_login(people["coordinator"])
    html = client.get(reverse("batchmatch:match_run_new")).content.decode()
    assert f'<a href="{reverse("batchmatch:match_run_list")}" aria-current="page">Batch match</a>' in _nav(html)


def test_a_person_with_two_roles_switches_and_the_choice_is_remembered(client, people):
    person = people["mentor"]
    MembershipFactory(user=person, role="coordinator")
    client.force_login(person)
    html = client.get(reverse("home:home")).content.decode()
    # The most responsible role comes first; the other is offered in the account menu.
    assert _primary_hrefs(html)[1] == reverse("insights:insights_dashboard")
    assert 'name="role" value="mentor"' in _menu(html) and "Switch to Mentor" in _menu(html)
    response = client.post(reverse("home:switch_role"), {"role": "mentor"})
    assert response.status_code == 302 and response["Location"] == reverse("home:home")
    assert client.session[navigation.SESSION_KEY] == "mentor"
    html = client.get(reverse("ilps:ilp_list")).content.decode()
    assert _primary_hrefs(html) == [reverse(name) for name in EXPECTED["mentor"]]
    assert "Acting as Mentor" in html and "Switch to Program coordinator" in html


def test_a_role_one_does_not_hold_is_refused_and_nothing_changes(client, people):
    client.force_login(people["mentee"])
    response = client.post(reverse("home:switch_role"), {"role": "admin"}, follow=True)
    assert "You cannot act in that role" in response.content.decode()
    assert navigation.SESSION_KEY not in client.session
    assert _primary_hrefs(response.content.decode()) == [reverse(name) for name in EXPECTED["mentee"]]


def test_switching_needs_a_post_and_a_signed_in_person(client, people):
    assert client.post(reverse("home:switch_role"), {"role": "mentor"}).status_code == 302  # to the login page
    assert "login" in client.post(reverse("home:switch_role"), {"role": "mentor"})["Location"]
    client.force_login(people["mentee"])
    assert client.get(reverse("home:switch_role")).status_code == 405


def test_signed_out_visitors_see_help_and_log_in(client, db):
    html = client.get(reverse("home:help")).content.decode()
    nav = re.search(r'<nav class="site-nav site-nav-public" aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    assert reverse("account_login") in nav and reverse("home:help") in nav
