"""IANA time zones: validation, the choices shown to people, and how a zone is named.

Every instant is stored in UTC; zones are stored as IANA names and validated against the
tz database shipped by ``tzdata`` (DESIGN: Time). Backward-compatible aliases such as
``Asia/Calcutta`` are part of that database and therefore accepted.
"""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def all_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


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
