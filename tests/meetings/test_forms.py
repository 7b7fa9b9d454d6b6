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


def test_each_zone_select_shows_its_own_selection_though_the_options_are_built_once_per_zone():
    first = str(MeetingForm(initial={"time_zone": "Asia/Kolkata"}, prefix="meet")["time_zone"])
    second = str(MeetingForm(initial={"time_zone": "Europe/Paris"}, prefix="meet")["time_zone"])
    again = str(MeetingForm(initial={"time_zone": "Asia/Kolkata"}, prefix="meet")["time_zone"])
    assert [v for v, chosen, _l in _options(first) if chosen] == ["Asia/Kolkata"]
    assert [v for v, chosen, _l in _options(second) if chosen] == ["Europe/Paris"]
    assert again == first
    unknown = str(MeetingForm(data={"meet-time_zone": "Mars/Olympus"}, prefix="meet")["time_zone"])
    assert not [v for v, chosen, _l in _options(unknown) if chosen]
    assert "Mars/Olympus" not in unknown


def test_every_form_shares_the_zone_list_instead_of_copying_it():
    # Django deep-copies a choice field's choices for every form: ~430 zones, twice per form, per page.
    one, other = MeetingForm(prefix="meet"), MeetingForm(prefix="meet")
    assert one.fields["time_zone"] is not other.fields["time_zone"]
    assert one.fields["time_zone"].choices is other.fields["time_zone"].choices
    assert one.fields["time_zone"].widget.choices is other.fields["time_zone"].widget.choices
    # A form that narrows its own field still leaves every other form's alone.
    one.fields["time_zone"].choices = [("UTC", "UTC")]
    assert len(other.fields["time_zone"].choices) == len(TIME_ZONES) + 1
    assert len(MeetingForm(prefix="meet").fields["time_zone"].choices) == len(TIME_ZONES) + 1
