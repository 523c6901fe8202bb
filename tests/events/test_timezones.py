from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from events.time_display import describe_time
from events.time_zone_field import time_zone_choices
from events.timezones import validate_time_zone, zone_label


@pytest.mark.parametrize(
    "zone", ["Asia/Tehran", "America/Los_Angeles", "UTC", "Asia/Calcutta", "Asia/Kolkata"]
)
def test_known_zones_and_aliases_are_accepted(zone: str) -> None:
    validate_time_zone(zone)


@pytest.mark.parametrize(
    "zone",
    [
        "",
        "Mars/Olympus",
        "../../etc/passwd",
        "/usr/share/zoneinfo/UTC",
        "asia/tehran",
        "x" * 500,
        # In the tz database, but no place: the server's own zone, a template, a placeholder.
        "localtime",
        "posixrules",
        "Factory",
    ],
)
def test_unknown_zones_are_rejected(zone: str) -> None:
    with pytest.raises(ValidationError):
        validate_time_zone(zone)


def test_zone_label_is_the_city() -> None:
    assert zone_label("America/Los_Angeles") == "Los Angeles"
    assert zone_label("Etc/UTC") == "UTC"


def test_time_is_shown_in_the_viewer_zone_with_the_event_zone_beside_it() -> None:
    moment = datetime(2022, 1, 9, 18, 30, tzinfo=UTC)
    text = describe_time(moment, "Asia/Tehran", "America/Los_Angeles")
    assert text == "Sun 9 Jan 2022, 22:00 Tehran time — 10:30 in Los Angeles, event time"


def test_event_time_on_another_day_names_that_day() -> None:
    moment = datetime(2022, 1, 9, 22, 0, tzinfo=UTC)
    text = describe_time(moment, "Asia/Tokyo", "America/Los_Angeles")
    assert text == "Mon 10 Jan 2022, 07:00 Tokyo time — Sun 9 Jan, 14:00 in Los Angeles, event time"


def test_same_zone_shows_one_time() -> None:
    moment = datetime(2022, 7, 1, 16, 0, tzinfo=UTC)
    assert (
        describe_time(moment, "Europe/Berlin", "Europe/Berlin")
        == "Fri 1 Jul 2022, 18:00 Berlin time"
    )


def test_utc_is_not_called_utc_time() -> None:
    moment = datetime(2022, 7, 1, 16, 0, tzinfo=UTC)
    text = describe_time(moment, "UTC", "America/New_York")
    assert text == "Fri 1 Jul 2022, 16:00 UTC — 12:00 in New York, event time"


def test_the_zone_list_offers_places_only() -> None:
    offered = {name for name, _label in time_zone_choices()}

    assert {"Asia/Tehran", "America/Los_Angeles", "UTC"} <= offered
    assert not offered & {"localtime", "posixrules", "Factory"}
