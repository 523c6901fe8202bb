"""The time-zone picker: canonical zones, each with its offset now and its name in the
page's language, west to east; any zone the tz database knows is accepted.

Without JavaScript it is a plain ``<select>``; ``static/js/time-zone-picker.js`` adds a search
box, and ``static/js/timezone.js`` preselects the browser's zone.
"""

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, pgettext

from events.time_display import localize_digits
from events.timezones import (
    canonical_time_zones,
    is_valid_time_zone,
    utc_offset_label,
    validate_time_zone,
    zone_country,
    zone_label,
)


def zone_choice_label(name: str, *, offset: timedelta | None, language: str) -> str:
    """ "UTC+03:30 Tehran, Iran": the zone's offset, city and country in ``language``."""
    with translation.override(language):
        offset_text = localize_digits(utc_offset_label(offset))
        if name == "UTC":
            return offset_text
        city, country = zone_label(name), zone_country(name)
        place = (
            pgettext("a time zone in a list", "%(city)s, %(country)s")
            % {"city": city, "country": country}
            if country and country != city
            else city
        )
    # The offset is isolated (U+2068 … U+2069) so it reads the same in right-to-left text.
    return f"\u2068{offset_text}\u2069 {place}"


@lru_cache(maxsize=16)
def _time_zone_choices(language: str, hour: datetime) -> list[tuple[str, str]]:
    offsets = {name: hour.astimezone(ZoneInfo(name)).utcoffset() for name in canonical_time_zones()}
    with translation.override(language):
        cities = {name: zone_label(name) for name in offsets}
    choices = [
        (name, zone_choice_label(name, offset=offsets[name], language=language)) for name in offsets
    ]
    # West to east, then by city: a person finds their neighbours beside them.
    return sorted(choices, key=lambda choice: (offsets[choice[0]], cities[choice[0]]))


def time_zone_choices() -> list[tuple[str, str]]:
    """The picker's options in the active language; made once an hour (offsets change)."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    return _time_zone_choices(translation.get_language() or "en", hour)


def _choice_for(name: str) -> tuple[str, str]:
    """An option for a zone outside the list (an alias stored earlier), so it stays chosen."""
    language = translation.get_language() or "en"
    offset = timezone.now().astimezone(ZoneInfo(name)).utcoffset()
    return (name, zone_choice_label(name, offset=offset, language=language))


def time_zone_choices_with(value: str | None) -> list[tuple[str, str]]:
    """The picker's options, plus ``value`` when it is a known zone outside the list."""
    if value and value not in canonical_time_zones() and is_valid_time_zone(value):
        return [*time_zone_choices(), _choice_for(value)]
    return time_zone_choices()


class TimeZoneSelect(forms.Select):
    """The picker's options: one cached list, shared rather than copied per form, plus the
    current value when it is a valid zone not in the list (``Asia/Calcutta``, ``Iran``)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "data-time-zone-picker": "",
                "data-search-label": gettext_lazy("Search time zones"),
                **(attrs or {}),
            }
        )
        self._extra: list[tuple[str, str]] = []

    @property
    def choices(self) -> list[tuple[str, str]]:
        return time_zone_choices() + self._extra

    @choices.setter
    def choices(self, value: object) -> None:
        # Django copies (and re-normalizes) a widget's choices for every form instance.
        pass

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> Any:
        self._extra = [
            _choice_for(zone)
            for zone in value
            if zone and zone not in canonical_time_zones() and is_valid_time_zone(zone)
        ]
        return super().optgroups(name, value, attrs)


class TimeZoneField(forms.CharField):
    """An IANA zone: canonical ones offered, any known one (aliases too) accepted.

    Checked by set membership: a ChoiceField would copy, normalize and scan its hundreds of
    choices for every form, measured at a third of a registration's CPU time
    (docs/benchmarks.md).
    """

    widget = TimeZoneSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validators=[validate_time_zone], **kwargs)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return time_zone_choices()
