"""How a moment is written for a reader: in their language, calendar, digits and zone's name.

The one place dates become text (docs/design.md, "Languages"). Pages use it
through the ``event_times`` template tags, emails through ``notifications.rendering``, the
workspace through its ``zoned`` tag.

- A language may have its own calendar (``settings.LANGUAGE_CALENDARS``: Persian readers get
  the Solar Hijri one). The conversion is jdatetime's; Python's datetimes stay Gregorian
  underneath and invites stay in UTC.
- Digits follow the language's CLDR numbering system (Persian: ۰۱۲۳۴۵۶۷۸۹), from Babel.
- A person may prefer the Gregorian calendar for themselves (``User.calendar``); the request
  sets that with ``calendar_override`` (``events.middleware``).

Formats are Django's date format strings ("D j M Y, H:i"); in the Solar Hijri calendar the
characters that name a day, month or year are read from jdatetime, the rest from Django.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache, lru_cache

import jdatetime
from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation
from django.utils.dateformat import format as django_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from events.timezones import UTC_NAMES, localize, zone_label

GREGORIAN = "gregorian"
PERSIAN = "persian"
CALENDARS = (GREGORIAN, PERSIAN)
CALENDAR_NAMES = {GREGORIAN: gettext_lazy("Gregorian"), PERSIAN: gettext_lazy("Solar Hijri")}

# "D j M Y": the date a person reads first; "D j M": a nearby day in another zone.
DATE_FORMAT = "D j M Y"
SHORT_DATE_FORMAT = "D j M"
TIME_FORMAT = "H:i"

_preferred_calendar: ContextVar[str | None] = ContextVar("preferred_calendar", default=None)


@contextmanager
def calendar_override(calendar: str | None) -> Iterator[None]:
    """Use ``calendar`` (or, with None, each language's own) inside the block."""
    token = _preferred_calendar.set(calendar if calendar in CALENDARS else None)
    try:
        yield
    finally:
        _preferred_calendar.reset(token)


def language_calendar(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    calendars: dict[str, str] = getattr(settings, "LANGUAGE_CALENDARS", {})
    return calendars.get(language, calendars.get(language.split("-")[0], GREGORIAN))


def active_calendar() -> str:
    """The calendar dates are written in now: the person's choice, else their language's."""
    return _preferred_calendar.get() or language_calendar()


# The zero of each CLDR numbering system a supported language may default to (Unicode puts
# the other nine after it); Babel knows a locale's system but not its digits.
NUMBERING_SYSTEM_ZEROS = {"arab": "\u0660", "arabext": "\u06f0", "beng": "\u09e6", "deva": "\u0966"}


@cache
def _digit_table(language: str) -> dict[int, str] | None:
    """Western digits → the language's own (CLDR's default numbering system); None if Latin."""
    try:
        system = Locale.parse(translation.to_locale(language)).default_numbering_system
    except (UnknownLocaleError, ValueError):
        return None
    zero = NUMBERING_SYSTEM_ZEROS.get(system)
    if zero is None:
        return None
    return str.maketrans({str(digit): chr(ord(zero) + digit) for digit in range(10)})


def localize_digits(text: str, language: str | None = None) -> str:
    """``text`` with 0-9 written in the language's digits (Persian: U+06F0 to U+06F9)."""
    table = _digit_table(language or translation.get_language() or settings.LANGUAGE_CODE)
    return text.translate(table) if table else text


# Django format characters that depend on the calendar; the others (H, i, G, ...) do not.
_PERSIAN_PARTS = {
    "d": lambda day: f"{day.day:02d}",
    "j": lambda day: str(day.day),
    "D": lambda day: day.j_weekdays_fa[day.weekday()],
    "l": lambda day: day.j_weekdays_fa[day.weekday()],
    "m": lambda day: f"{day.month:02d}",
    "n": lambda day: str(day.month),
    "M": lambda day: day.j_months_fa[day.month - 1],
    "F": lambda day: day.j_months_fa[day.month - 1],
    "N": lambda day: day.j_months_fa[day.month - 1],
    "b": lambda day: day.j_months_fa[day.month - 1],
    "Y": lambda day: str(day.year),
    "y": lambda day: f"{day.year % 100:02d}",
}


@lru_cache(maxsize=1024)
def _solar_hijri(day: date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=day)


def _persian_format(value: date | datetime, format_string: str) -> str:
    day = _solar_hijri(value.date() if isinstance(value, datetime) else value)
    pieces = []
    escaped = False
    for character in format_string:
        if escaped:
            pieces.append(character)
            escaped = False
        elif character == "\\":
            escaped = True
        elif character in _PERSIAN_PARTS:
            pieces.append(_PERSIAN_PARTS[character](day))
        elif character.isalpha():
            pieces.append(django_format(value, character))
        else:
            pieces.append(character)
    return "".join(pieces)


def format_date(value: date | datetime, format_string: str, *, calendar: str | None = None) -> str:
    """``value`` (already in the reader's zone) as Django's ``date`` filter would write it,
    in the active calendar and the active language's digits."""
    if (calendar or active_calendar()) == PERSIAN:
        text = _persian_format(value, format_string)
    else:
        text = django_format(value, format_string)
    return localize_digits(text)


def format_in_zone(moment: datetime, zone_name: str, format_string: str) -> str:
    """A UTC moment written on the wall clock of ``zone_name`` (no zone name added)."""
    return format_date(localize(moment, zone_name), format_string)


def _date_and_time(date_text: str, time_text: str) -> str:
    return pgettext("a date, then a time", "%(date)s, %(time)s") % {
        "date": date_text,
        "time": time_text,
    }


def describe_time(moment: datetime, viewer_zone: str, event_zone: str) -> str:
    """ "Sun 9 Jan 2022, 22:00 Tehran time — 10:30 in Los Angeles, event time".

    In Persian: «یکشنبه ۲۹ آذر ۱۴۰۵، ساعت ۲۰:۳۰ به وقت تهران». Where the event's own time
    is shown beside the reader's (people in two countries), a calendar other than the
    Gregorian one is followed by the Gregorian date, which both sides can match.
    """
    local = localize(moment, viewer_zone)
    at_event = localize(moment, event_zone)
    label = zone_label(viewer_zone)
    same_offset = viewer_zone == event_zone or local.utcoffset() == at_event.utcoffset()
    date_text = format_date(local, DATE_FORMAT)
    if not same_offset and active_calendar() != GREGORIAN:
        date_text += " (" + format_date(local, "j F Y", calendar=GREGORIAN) + ")"
    pattern = (
        _("%(date)s, %(time)s UTC")
        if viewer_zone in UTC_NAMES or label == "UTC"
        else _("%(date)s, %(time)s %(zone)s time")
    )
    text = pattern % {
        "date": date_text,
        "time": format_date(local, TIME_FORMAT),
        "zone": label,
    }
    if same_offset:
        if zone_label(viewer_zone) != zone_label(event_zone):
            text += " " + _("(the same in %(zone)s, event time)") % {"zone": zone_label(event_zone)}
        return text
    event_time = format_date(at_event, TIME_FORMAT)
    if at_event.date() != local.date():
        event_time = _date_and_time(format_date(at_event, SHORT_DATE_FORMAT), event_time)
    return (
        text
        + " — "
        + _("%(time)s in %(zone)s, event time")
        % {
            "time": event_time,
            "zone": zone_label(event_zone),
        }
    )


def describe_in_zone(moment: datetime, zone_name: str, format_string: str) -> str:
    """ "Sun 9 Jan 2022, 14:00 Los Angeles": a moment in one zone, the zone named after it."""
    return f"{format_in_zone(moment, zone_name, format_string)} {zone_label(zone_name)}"
