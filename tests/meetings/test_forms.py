import re

from django import forms

from mentora.core.time_zones import GROUPED, TIME_ZONES, ZoneSelect, zone_label
from mentora.meetings.forms import MeetingForm


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label.strip()) for value, selected, label in
            re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)]


def test_the_fast_zone_select_renders_what_djangos_select_renders():
    choices = [(region, [(z, zone_label(z)) for z in zones]) for region, zones in GROUPED] + [("UTC", "UTC")]
    attrs = {"id": "id_meet-time_zone", "aria-describedby": "help & more"}
    ours = ZoneSelect(choices=choices).render("meet-time_zone", "America/New_York", attrs)
    django_s = forms.Select(choices=choices).render("meet-time_zone", "America/New_York", attrs)
    assert _options(ours) == _options(django_s)
    assert sum(selected for _v, selected, _l in _options(ours)) == 1
    assert len(_options(ours)) == len(TIME_ZONES) + 1
    assert re.findall(r'<optgroup label="([^"]+)">', ours) == re.findall(r'<optgroup label="([^"]+)">', django_s)
    assert "Mars/Olympus" not in ours
    assert ('id="id_meet-time_zone"' in ours and 'name="meet-time_zone"' in ours
            and 'aria-describedby="help &amp; more"' in ours)


def test_a_bound_meeting_form_keeps_the_chosen_zone():
    form = MeetingForm(data={"meet-time_zone": "Asia/Kolkata"}, prefix="meet")
    selected = [value for value, chosen, _label in _options(str(form["time_zone"])) if chosen]
    assert selected == ["Asia/Kolkata"]
