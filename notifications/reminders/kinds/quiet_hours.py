"""Quiet hours: reminders that would reach a registrant at night, on their own clock, come earlier.

The organizer sets one window per event (on by default, 22:00-08:00), read in each
registrant's own zone. A reminder of a kind that respects quiet hours ("N before the start")
whose due time falls inside that registrant's window moves **earlier**, to the last minute
before the window began: 00:30 becomes 21:59 the evening before. Never later — a reminder
must not arrive closer to the start than the organizer asked. Exceptions:

* a reminder due within ``NEVER_MOVED_WITHIN`` (2 hours) of the start stays: the person is
  about to attend;
* "the day before at HH:MM" is an explicit local time and never moves (its kind says so);
* a reminder moved into the past is skipped like any reminder already past (schedule.py).

The window's edges are wall-clock times on the registrant's calendar, resolved with the DST
rule of "the day before at" (``events.timezones.local_to_utc``, not strict: an edge in a
gap is read with the offset before the jump, so it lands after the gap by its length; an
edge in a fold is its first occurrence). The window is the span between the two instants,
so on a night the clocks change it is an hour longer or shorter in real time.
See docs/reminders.md ("Quiet hours") and docs/design.md ("Time").
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from events.timezones import local_to_utc

NEVER_MOVED_WITHIN = timedelta(hours=2)
# A moved reminder goes out in the last minute before the window: 22:00 → 21:59.
MOVED_BEFORE_BY = timedelta(minutes=1)


class HasQuietHours(Protocol):
    quiet_hours_enabled: bool
    quiet_hours_start: time
    quiet_hours_end: time


@dataclass(frozen=True)
class QuietHours:
    """A nightly window of wall-clock times, ``start`` included, ``end`` excluded.

    ``start`` after ``end`` (22:00-08:00) crosses midnight; ``start`` before ``end``
    (13:00-15:00) lies within one day.
    """

    start: time
    end: time

    @classmethod
    def of_event(cls, event: HasQuietHours) -> "QuietHours | None":
        """The event's window, or None if the organizer switched quiet hours off."""
        if not event.quiet_hours_enabled or event.quiet_hours_start == event.quiet_hours_end:
            return None
        return cls(start=event.quiet_hours_start, end=event.quiet_hours_end)

    def began_at(self, moment: datetime, time_zone: str) -> datetime | None:
        """When the window containing ``moment`` began (UTC), or None if ``moment`` is outside."""
        window = self._window_holding(moment, time_zone)
        return window[0] if window else None

    def ended_at(self, moment: datetime, time_zone: str) -> datetime | None:
        """When the window containing ``moment`` ends (UTC), or None if ``moment`` is outside.

        Follow-ups after the end move there, later (kinds/after_end.py).
        """
        window = self._window_holding(moment, time_zone)
        return window[1] if window else None

    def _window_holding(self, moment: datetime, time_zone: str) -> tuple[datetime, datetime] | None:
        zone = ZoneInfo(time_zone)
        local_day = moment.astimezone(zone).date()
        # A window holding ``moment`` began on its local day or (crossing midnight) the day before.
        for day in (local_day, local_day - timedelta(days=1)):
            began, ended = self._window(day, time_zone)
            if began <= moment < ended:
                return began, ended
        return None

    def _window(self, day: date, time_zone: str) -> tuple[datetime, datetime]:
        end_day = day + timedelta(days=1) if self.end <= self.start else day
        return _local_instant(day, self.start, time_zone), _local_instant(
            end_day, self.end, time_zone
        )


def _local_instant(day: date, clock: time, time_zone: str) -> datetime:
    # The documented DST rule: fold → first occurrence, gap → after it by its length.
    return local_to_utc(datetime.combine(day, clock), time_zone, strict=False).astimezone(UTC)


def quiet_hours_due_at(
    *, due_at: datetime, starts_at: datetime, time_zone: str, quiet_hours: QuietHours | None
) -> datetime:
    """``due_at`` moved out of the registrant's quiet hours, if it must be; never later."""
    if quiet_hours is None or starts_at - due_at <= NEVER_MOVED_WITHIN:
        return due_at
    began = quiet_hours.began_at(due_at, time_zone)
    if began is None:
        return due_at
    return min(due_at, began - MOVED_BEFORE_BY)
