"""Recurrences: RFC 5545 RRULE text, expanded on the series' wall clock (docs/series.md).

The rule is expanded with python-dateutil's ``rrule`` on *naive local* datetimes, then each
occurrence is converted to UTC with ``events.timezones.local_to_utc``, our one DST rule
(docs/design.md, "Time"). So "second Sunday at 11:00 New York time" is 11:00 in New York in
March and in November, and its UTC instant moves with the clocks. A session whose local start
falls in a DST gap starts after the gap (02:30 → 03:30, ``strict=False``): nobody typed it.

Pure functions, no database: the forms, the generator and the tests share them.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, rrulestr
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from events.timezones import local_to_utc

FREQUENCIES = {"daily": DAILY, "weekly": WEEKLY, "monthly": MONTHLY}
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LAST_WEEK = -1


@dataclass(frozen=True)
class Recurrence:
    """A recurrence as the form states it; ``rrule_text`` is what the series stores.

    ``weekdays`` and ``weekday`` count from Monday = 0. Monthly is either on ``month_day``
    or on the ``week_of_month``-th (1 to 4, or -1 for the last) ``weekday``.
    """

    frequency: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    month_day: int | None = None
    week_of_month: int | None = None
    weekday: int | None = None
    until: date | None = None
    count: int | None = None

    def rrule_text(self) -> str:
        parts = [f"FREQ={self.frequency.upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.frequency == "weekly" and self.weekdays:
            parts.append("BYDAY=" + ",".join(RRULE_DAYS[day] for day in sorted(self.weekdays)))
        if self.frequency == "monthly":
            if self.month_day is not None:
                parts.append(f"BYMONTHDAY={self.month_day}")
            elif self.week_of_month is not None and self.weekday is not None:
                parts.append(f"BYDAY={self.week_of_month:+d}{RRULE_DAYS[self.weekday]}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


def recurrence_from_text(text: str) -> Recurrence:
    """Read back what ``Recurrence.rrule_text`` wrote (for the edit form's initial values)."""
    parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
    frequency = parts.get("FREQ", "WEEKLY").lower()
    byday = [day for day in parts.get("BYDAY", "").split(",") if day]
    weekdays = tuple(RRULE_DAYS.index(day[-2:]) for day in byday)
    week_of_month = weekday_index = None
    if frequency == "monthly" and byday:
        week_of_month = int(byday[0][:-2])
        weekday_index = RRULE_DAYS.index(byday[0][-2:])
    until = parts.get("UNTIL")
    return Recurrence(
        frequency=frequency,
        interval=int(parts.get("INTERVAL", "1")),
        weekdays=weekdays if frequency == "weekly" else (),
        month_day=int(parts["BYMONTHDAY"]) if "BYMONTHDAY" in parts else None,
        week_of_month=week_of_month,
        weekday=weekday_index,
        until=date(int(until[:4]), int(until[4:6]), int(until[6:8])) if until else None,
        count=int(parts["COUNT"]) if "COUNT" in parts else None,
    )


def _rule(rrule_text: str, *, starts_on: date, start_time: time) -> rrule:
    # Naive on purpose: the rule runs on the local wall clock (module docstring).
    start = datetime.combine(starts_on, start_time)
    rule = rrulestr(rrule_text, dtstart=start)
    assert isinstance(rule, rrule)
    return rule


def first_dates(rrule_text: str, *, starts_on: date, start_time: time, limit: int) -> list[date]:
    """Up to ``limit`` local dates of the rule alone (no extra or skipped dates)."""
    rule = _rule(rrule_text, starts_on=starts_on, start_time=start_time)
    return [moment.date() for moment in islice(iter(rule), limit)]


def occurrence_dates(
    rrule_text: str,
    *,
    starts_on: date,
    start_time: time,
    extra: list[date],
    skipped: frozenset[date],
    since: date,
    until: date,
) -> list[date]:
    """The local dates of sessions from ``since`` to ``until`` (both included)."""
    rule = _rule(rrule_text, starts_on=starts_on, start_time=start_time)
    window_start = datetime.combine(since, time.min)
    window_end = datetime.combine(until, time.max)
    dates = {moment.date() for moment in rule.between(window_start, window_end, inc=True)}
    dates.update(day for day in extra if since <= day <= until and day >= starts_on)
    return sorted(dates - skipped)


def has_dates_from(
    rrule_text: str,
    *,
    starts_on: date,
    start_time: time,
    extra: list[date],
    skipped: frozenset[date],
    since: date,
) -> bool:
    """Whether the recurrence (with its extra and skipped dates) has a date on or after
    ``since``: a series without one has run its course."""
    if any(day >= max(since, starts_on) and day not in skipped for day in extra):
        return True
    rule = _rule(rrule_text, starts_on=starts_on, start_time=start_time)
    # Lazy: stops at the first date that is not skipped (skipped dates are finitely many).
    return any(
        moment.date() not in skipped
        for moment in rule.xafter(datetime.combine(since, time.min), inc=True)
    )


def session_times(
    day: date, *, start_time: time, duration_minutes: int, time_zone: str
) -> tuple[datetime, datetime]:
    """The UTC start and end of the session on local ``day``.

    The end keeps its wall-clock distance (an hour-long session on the night the clocks
    change still ends an hour later on the clock), like a duplicated event's end.
    """
    local_start = datetime.combine(day, start_time)
    local_end = local_start + timedelta(minutes=duration_minutes)
    starts_at = local_to_utc(local_start, time_zone, strict=False)
    ends_at = local_to_utc(local_end, time_zone, strict=False)
    if ends_at <= starts_at:  # a session that ends inside a DST fold
        ends_at = starts_at + timedelta(minutes=duration_minutes)
    return starts_at, ends_at


def skipped_months_note(month_day: int) -> str:
    """Which months a "monthly on day N" rule skips (RFC 5545: a missing day is no date)."""
    if month_day <= 28:
        return ""
    if month_day == 29:
        return _("February is skipped except in leap years: it has no 29th otherwise.")
    short = [month for month in range(1, 13) if _days_in_month(month) < month_day]
    names = ", ".join(str(MONTHS[month]) for month in short)
    return _("Months without a day %(day)d are skipped: %(months)s.") % {
        "day": month_day,
        "months": names,
    }


def _days_in_month(month: int) -> int:
    # The longest each month gets (February 29 in leap years).
    return (date(2024, month % 12 + 1, 1) - timedelta(days=1)).day if month < 12 else 31
