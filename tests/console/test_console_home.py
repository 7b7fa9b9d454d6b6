from django.urls import reverse

from mentora.console.sections import Section, console_sections, register


def test_site_admin_sees_the_console_sections_and_the_nav_link(client, cast):
    client.force_login(cast["admin"])
    body = client.get(reverse("console:home")).content.decode()
    assert "Site admin console" in body
    assert reverse("background:background_work") in body  # a section contributed through console_sections.py
    assert 'href="/console/"' in client.get(reverse("home:home")).content.decode()


def test_coordinator_has_no_console_nor_its_link(client, cast):
    client.force_login(cast["coordinator"])
    assert client.get(reverse("console:home")).status_code == 403
    assert 'href="/console/"' not in client.get(reverse("home:home")).content.decode()


def test_a_section_whose_page_is_not_installed_is_left_out():
    register(Section("ghost", "Ghost", "no_such_page", "not installed"))
    assert "ghost" not in {s.key for s in console_sections()}
