"""Times entered as wall-clock times in the event's own zone, converted to UTC by the form.

Django's DateTimeField reads a naive time in the *active* zone; here the zone is another field
of the same form, so the field keeps the time naive and the form converts it once the zone is
known (``events.timezones.local_to_utc`` holds the daylight-saving rule).

Only the years 1900 to 2999 are accepted: far more than any event needs, and far enough from
Python's limits (years 1 to 9999) that no later arithmetic on the instant — the zone
conversion, shifting a duplicate, a reminder's due time — can run off the calendar.
"""

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.time_display import GREGORIAN, format_date
from events.timezones import (
    LocalTimeOutOfRange,
    NonexistentLocalTime,
    local_to_utc,
    zone_label,
)

WALL_CLOCK_FORMAT = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = (WALL_CLOCK_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
FIRST_YEAR, LAST_YEAR = 1900, 2999


def out_of_range_message() -> str:
    return _("Enter a date between the years %(first)d and %(last)d.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as read off a clock, with no zone; ``clean`` returns a naive datetime."""

    widget = forms.DateTimeInput(
        attrs={
            "type": "datetime-local",
            "min": f"{FIRST_YEAR}-01-01T00:00",
            "max": f"{LAST_YEAR}-12-31T23:59",
        },
        format=WALL_CLOCK_FORMAT,
    )

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for input_format in INPUT_FORMATS:
            try:
                # Naive on purpose: the zone is another field of the form.
                return datetime.strptime(text, input_format)  # noqa: DTZ007
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: datetime | None) -> None:
        super().validate(value)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(out_of_range_message(), code="out_of_range")


WALL_CLOCK_HELP = gettext_lazy(
    "In the event's time zone. A time that happens twice when clocks go back means the first one."
)


def convert_wall_clock_fields(form: forms.BaseForm, field_names: list[str], zone_name: str) -> None:
    """Replace each naive time in ``form.cleaned_data`` by its UTC instant, or add an error."""
    for name in field_names:
        wall_clock = form.cleaned_data.get(name)
        if wall_clock is None:
            continue
        try:
            form.cleaned_data[name] = local_to_utc(wall_clock, zone_name)
        except NonexistentLocalTime as gap:
            del form.cleaned_data[name]
            form.add_error(name, nonexistent_time_message(gap))
        except LocalTimeOutOfRange:
            # Not reachable within the years the field accepts; an error here, never a 500.
            del form.cleaned_data[name]
            form.add_error(name, out_of_range_message())


def nonexistent_time_message(gap: NonexistentLocalTime) -> str:
    # Gregorian in every language: it names the date as the form's date field shows it.
    def date_format(moment: datetime, format_string: str) -> str:
        return format_date(moment, format_string, calendar=GREGORIAN)

    return _(
        "%(time)s does not exist on %(date)s in %(zone)s: the clocks jump forward then. "
        "Pick another time, such as %(first_valid)s."
    ) % {
        "time": date_format(gap.wall_clock, "H:i"),
        "date": date_format(gap.wall_clock, "j M Y"),
        "zone": zone_label(gap.zone_name),
        "first_valid": date_format(gap.first_valid, "H:i"),
    }


def event_time_problems(cleaned: dict[str, Any]) -> dict[str, str]:
    """What is wrong with an event's times, by field: the end, and the registration window.

    Registration opens before the event ends, closes after it opens, and closes by the end.

    Shared by the workspace's and the admin's event forms; ``cleaned`` holds the UTC instants
    (absent or None where not given).
    """
    starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
    opens_at, closes_at = (
        cleaned.get("registration_opens_at"),
        cleaned.get("registration_closes_at"),
    )
    problems: dict[str, str] = {}
    if starts_at and ends_at and ends_at <= starts_at:
        problems["ends_at"] = _("The event must end after it starts.")
    if opens_at and ends_at and opens_at >= ends_at:
        problems["registration_opens_at"] = _("Registration must open before the event ends.")
    if opens_at and closes_at and closes_at <= opens_at:
        problems["registration_closes_at"] = _("Registration must close after it opens.")
    elif closes_at and ends_at and closes_at > ends_at:
        problems["registration_closes_at"] = _("Registration must close by the end of the event.")
    return problems
