"""Counts people read on list pages are written with thousands separators ("12,000 mentors found")."""

from types import SimpleNamespace

from django.template.loader import render_to_string


def test_directory_result_count_has_thousands_separator():
    paginator = SimpleNamespace(count=12000, num_pages=600)
    page = SimpleNamespace(paginator=paginator, number=100, has_previous=False, has_next=False)

    html = render_to_string("directory/_results.html", {"page": page, "rows": [], "query": ""})

    assert "12,000 mentors found" in html


def test_list_count_has_thousands_separator():
    listing = SimpleNamespace(hidden_fields=[], search_name="q", query="", url="", export_url="?export=csv",
                              page=SimpleNamespace(paginator=SimpleNamespace(count=50001)))

    html = render_to_string("core/lists/_controls.html", {"listing": listing, "label": "members"})

    assert "50,001 in all" in html
