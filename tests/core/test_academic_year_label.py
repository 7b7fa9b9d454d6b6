"""The academic year is written one way, by mentora.core.academic_year, in code and in templates alike."""

import re
from pathlib import Path

from django.template import Context, Template

import mentora
from mentora.core.academic_year import academic_year_label

SOURCE = Path(mentora.__file__).resolve().parent


def test_templates_write_the_academic_year_with_the_filter():
    rendered = Template("{{ year|academic_year }} {{ end|academic_year }}").render(Context({"year": 2026, "end": 2099}))
    assert rendered == f"{academic_year_label(2026)} {academic_year_label(2099)}" == "2026–27 2099–00"


def test_no_template_writes_the_label_by_hand():
    by_hand = re.compile(r"\|add:1\|stringformat:\"d\"\|slice")
    found = [str(path.relative_to(SOURCE)) for path in SOURCE.rglob("*.html") if by_hand.search(path.read_text())]
    assert not found, f"write {{{{ year|academic_year }}}} instead in: {found}"
