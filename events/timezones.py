"""IANA time zones: validation, the choices shown to people, and how a zone is named.

Every instant is stored in UTC; zones are stored as IANA names and validated against the
tz database shipped by ``tzdata`` (docs/design.md, "Time"). Backward-compatible aliases such as
``Asia/Calcutta`` are part of that database and therefore accepted.
"""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Names the tz database carries that are no place's time: "localtime" is the server's own
# setting (a link in the system's zoneinfo folder), "posixrules" a template for POSIX TZ
# strings, "Factory" a placeholder that formats as "-00".
NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


@cache
def all_time_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - NOT_PLACES


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Canonical-looking zones first (Region/City), sorted; then the rest, such as UTC."""
    names = sorted(all_time_zones())
    regional = [name for name in names if "/" in name and not name.startswith("Etc/")]
    other = [name for name in names if name not in regional]
    return [(name, name.replace("_", " ")) for name in regional + other]


def is_valid_time_zone(name: str) -> bool:
    return name in all_time_zones()


def validate_time_zone(value: str) -> None:
    if not is_valid_time_zone(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a time zone we know. "
                "Pick one from the list, such as Europe/Berlin."
            ),
            code="invalid_time_zone",
            params={"value": value[:64]},
        )


def zone_label(name: str) -> str:
    """A short human name for a zone: ``America/Los_Angeles`` → ``Los Angeles``."""
    if name in {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu"}:
        return "UTC"
    return name.rsplit("/", 1)[-1].replace("_", " ")


def localize(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone_name))


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving jump (e.g. 02:30 when clocks go 02→03)."""

    def __init__(self, wall_clock: datetime, zone_name: str, first_valid: datetime) -> None:
        super().__init__(f"{wall_clock:%Y-%m-%d %H:%M} does not exist in {zone_name}")
        self.wall_clock = wall_clock
        self.zone_name = zone_name
        self.first_valid = first_valid


class LocalTimeOutOfRange(ValueError):
    """A wall-clock time whose instant falls outside the years Python can hold (1 to 9999)."""

    def __init__(self, wall_clock: datetime, zone_name: str) -> None:
        super().__init__(f"{wall_clock:%Y-%m-%d %H:%M} in {zone_name} is out of range")
        self.wall_clock = wall_clock
        self.zone_name = zone_name


def local_to_utc(wall_clock: datetime, zone_name: str, *, strict: bool = True) -> datetime:
    """The UTC instant of a naive wall-clock time in ``zone_name``.

    Our rule for daylight-saving edges (docs/design.md, "Time"):
    - a time that happens twice (clocks go back) means its first occurrence, the earlier
      instant, still on the pre-transition offset;
    - a time that never happens (clocks jump forward) raises ``NonexistentLocalTime`` so a
      person can pick another; with ``strict=False`` it is moved forward by the jump
      (02:30 → 03:30), which is what derived times such as a shifted duplicate use.

    A time at the very edge of the calendar (9999-12-31 west of UTC) raises
    ``LocalTimeOutOfRange``; forms keep times well inside it (``events.wall_clock``).
    """
    zone = ZoneInfo(zone_name)
    naive = wall_clock.replace(tzinfo=None)
    try:
        # fold=0 is the first occurrence of a repeated time, and the pre-jump offset in a gap.
        moment = naive.replace(tzinfo=zone, fold=0).astimezone(ZoneInfo("UTC"))
        round_trip = moment.astimezone(zone).replace(tzinfo=None)
    except OverflowError as overflow:
        raise LocalTimeOutOfRange(naive, zone_name) from overflow
    if round_trip != naive and strict:
        raise NonexistentLocalTime(naive, zone_name, first_valid=round_trip)
    return moment


def utc_to_local(moment: datetime, zone_name: str) -> datetime:
    """The naive wall-clock time of ``moment`` in ``zone_name``, as a form shows it."""
    return localize(moment, zone_name).replace(tzinfo=None)
