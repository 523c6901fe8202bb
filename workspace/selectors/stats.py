"""Registration statistics for one event, from a few aggregate queries."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate

from events.models import Event
from registrations.models import ATTENDED, Registration

TOP_TIME_ZONES = 10


@dataclass(frozen=True)
class DailyCount:
    day: date
    count: int


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class AttendanceStats:
    """Confirmed registrants who attended: checked in, or present in an attendance report."""

    confirmed: int
    attended: int
    average_minutes: int | None

    @property
    def rate(self) -> int | None:
        """Attended as a whole percentage of the confirmed, None without any confirmed."""
        if not self.confirmed:
            return None
        return round(100 * self.attended / self.confirmed)


@dataclass(frozen=True)
class EventStats:
    per_day: list[DailyCount]
    by_status: list[StatusCount]
    total: int
    top_time_zones: list[tuple[str, int]]
    attendance: AttendanceStats


def registrations_per_day(event: Event) -> list[DailyCount]:
    """Registrations made on each calendar day in the event's own zone, cancelled ones
    included (they were registrations that day). Days without any are filled with zero
    between the first and the last day that had one."""
    rows = (
        Registration.objects.filter(event=event)
        .annotate(day=TruncDate("created_at", tzinfo=ZoneInfo(event.time_zone)))
        .values("day")
        .annotate(count=Count("id"))
        .order_by("day")
    )
    counts = {row["day"]: row["count"] for row in rows}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return [DailyCount(day=day, count=counts.get(day, 0)) for day in days]


def registrations_by_status(event: Event) -> list[StatusCount]:
    rows = (
        Registration.objects.filter(event=event)
        .order_by()
        .values("status")
        .annotate(count=Count("id"))
    )
    counts = {row["status"]: row["count"] for row in rows}
    return [
        StatusCount(status=value, label=str(label), count=counts.get(value, 0))
        for value, label in Registration.Status.choices
    ]


def top_time_zones(event: Event, limit: int = TOP_TIME_ZONES) -> list[tuple[str, int]]:
    """The zones most registrants (cancelled ones left out) live in, most common first."""
    rows = (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by()
        .values("time_zone")
        .annotate(count=Count("id"))
        .order_by("-count", "time_zone")[:limit]
    )
    return [(row["time_zone"], row["count"]) for row in rows]


def attendance_stats(event: Event) -> AttendanceStats:
    """One aggregate over the confirmed registrations."""
    row = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).aggregate(
        confirmed_count=Count("id"),
        attended_count=Count("id", filter=ATTENDED),
        average_minutes=Avg("attended_minutes", filter=Q(attended=True)),
    )
    average = row["average_minutes"]
    return AttendanceStats(
        confirmed=row["confirmed_count"],
        attended=row["attended_count"],
        average_minutes=None if average is None else round(average),
    )


def event_registration_stats(event: Event) -> EventStats:
    by_status = registrations_by_status(event)
    return EventStats(
        per_day=registrations_per_day(event),
        by_status=by_status,
        total=sum(item.count for item in by_status),
        top_time_zones=top_time_zones(event),
        attendance=attendance_stats(event),
    )
