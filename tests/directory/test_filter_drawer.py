"""The directory's filters: the search box stays in view and the other filters sit in a drawer that folds on a
phone; the drawer's summary says how many filters are on, so a folded drawer does not hide a narrowed list."""

import re

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory


@pytest.mark.django_db
def test_the_drawer_holds_every_filter_but_the_search_and_counts_those_on(client):
    client.force_login(MembershipFactory(role="mentee").user)
    html = client.get(reverse("directory:directory")).content.decode()
    drawer = re.search(r'<details class="filter-drawer" open data-drawer>(.*?)</details>', html, re.S).group(1)
    assert 'name="q"' not in drawer and 'name="q"' in html
    for name in ("specialty", "language", "country", "kind", "meeting_mode", "accepting", "sort"):
        assert f'name="{name}"' in drawer, name
    assert "More filters</summary>" in drawer
    html = client.get(reverse("directory:directory"), {"q": "heart", "language": "es", "accepting": "on",
                                                       "sort": ""}).content.decode()
    assert 'More filters <span class="badge">2 on</span></summary>' in html
