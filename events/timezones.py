"""IANA time zones: validation, the choices shown to people, and how a zone is named.

Every instant is stored in UTC; zones are stored as IANA names and validated against the
tz database shipped by ``tzdata`` (docs/design.md, "Time"). Backward-compatible aliases such as
``Asia/Calcutta`` are part of that database and therefore accepted.

The list people pick from shows canonical zones only (``events.time_zone_field``). Zones are
named in the reader's language from CLDR, through Babel: Asia/Tehran is "Tehran" in English
and «تهران» in Persian (docs/design.md, "Languages").
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

# Names the tz database carries that are no place's time: "localtime" is the server's own
# setting (a link in the system's zoneinfo folder), "posixrules" a template for POSIX TZ
# strings, "Factory" a placeholder that formats as "-00".
NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


@cache
def all_time_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - NOT_PLACES


@cache
def _zone_table() -> dict[str, str]:
    """``zone.tab``: each place's zone and the country (ISO 3166 code) it is in."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and line[0] != "#")
    return {row[2]: row[0] for row in rows}


@cache
def canonical_time_zones() -> frozenset[str]:
    """The zones people pick from: one per place in the tz database's ``zone.tab``, and UTC.

    ``zone.tab`` lists each country's zones by their current names (Asia/Kolkata, not
    Asia/Calcutta or the alias Iran) and keeps places such as Europe/Amsterdam that the tz
    database now merges into another zone: people look for their own city.
    """
    return frozenset(_zone_table().keys() & all_time_zones()) | {"UTC"}


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


UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu", "Etc/Universal"})


def _id_label(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ")


@cache
def _cldr_ids(name: str) -> tuple[str, ...]:
    """The names CLDR may file a zone under, the zone's own first.

    CLDR keeps older ids as its keys (Asia/Calcutta for Asia/Kolkata, Europe/Kiev for
    Europe/Kyiv) and Babel's alias table maps both ways, so look under each.
    """
    aliases: Mapping[str, str] = get_global("zone_aliases")
    canonical = aliases.get(name, name)
    others = sorted(alias for alias, target in aliases.items() if target == canonical)
    return tuple(dict.fromkeys([name, canonical, *others]))


@cache
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        return None


@cache
def _writes_latin(locale: Locale) -> bool:
    likely: Mapping[str, str] = get_global("likely_subtags")
    return "_Latn" in likely.get(locale.language, "_Latn")


@lru_cache(maxsize=4096)
def _zone_label(name: str, language: str) -> str:
    if name in UTC_NAMES:
        return "UTC"
    locale = _locale(language)
    if locale is None:
        return _id_label(name)
    for cldr_id in _cldr_ids(name):
        city = locale.time_zones.get(cldr_id, {}).get("city")
        if city:
            return str(city)
    # CLDR leaves out a city whose name is its id's (Los_Angeles → Los Angeles); in a language
    # not written in Latin letters that would put an English name in the sentence, so name
    # the country instead.
    if not _writes_latin(locale):
        territory = _zone_territory(name)
        if territory and territory in locale.territories:
            return str(locale.territories[territory])
    aliases: Mapping[str, str] = get_global("zone_aliases")
    return _id_label(aliases.get(name, name))


def _zone_territory(name: str) -> str | None:
    territories: Mapping[str, str] = get_global("zone_territories")
    for cldr_id in _cldr_ids(name):
        territory = territories.get(cldr_id)
        if territory and territory not in {"ZZ", "001"}:
            return territory
    # A zone newer than Babel's CLDR data (America/Coyhaique, 2025) is still in zone.tab.
    return _zone_table().get(name)


def zone_label(name: str, language: str | None = None) -> str:
    """A zone's city in the reader's language (the active one unless given).

    ``America/Los_Angeles`` → "Los Angeles"; ``Asia/Tehran`` → "Tehran", in Persian «تهران»;
    an alias is named as its zone (``US/Pacific`` → "Los Angeles"). All UTC zones are "UTC".
    """
    return _zone_label(name, language or translation.get_language() or "en")


def zone_country(name: str, language: str | None = None) -> str:
    """The country a zone is in, in the reader's language; "" for UTC and ocean zones."""
    locale = _locale(language or translation.get_language() or "en")
    territory = _zone_territory(name)
    if locale is None or territory is None:
        return ""
    return str(locale.territories.get(territory, ""))


def utc_offset_label(offset: timedelta | None) -> str:
    """ "UTC+03:30", "UTC\u221208:00" (a minus sign, as CLDR writes it), "UTC"."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


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
