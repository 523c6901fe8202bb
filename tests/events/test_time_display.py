"""Dates as a reader sees them: Solar Hijri with Persian digits for fa, Gregorian for en."""
# ruff: noqa: RUF001 - Persian letters and digits on purpose

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.utils import translation

from events import time_display
from events.time_display import (
    GREGORIAN,
    calendar_override,
    describe_time,
    format_date,
    localize_digits,
)
from events.timezones import canonical_time_zones, zone_country, zone_label
from tests.factories import EventFactory

# Sunday 20 December 2026 (29 Azar 1405), 20:30 in Tehran, 09:00 in Los Angeles.
MOMENT = datetime(2026, 12, 20, 17, 0, tzinfo=UTC)

# What the Persian catalog says for the msgids describe_time uses (locale/ is kept by the
# catalog's own change; these tests pin how the pieces are put together).
PERSIAN = {
    "%(date)s, %(time)s %(zone)s time": "%(date)s، ساعت %(time)s به وقت %(zone)s",
    "%(date)s, %(time)s UTC": "%(date)s، ساعت %(time)s (UTC)",
    "%(time)s in %(zone)s, event time": "%(time)s به وقت %(zone)s، وقت رویداد",
    "(the same in %(zone)s, event time)": "(همان ساعت به وقت %(zone)s، وقت رویداد)",
}


@pytest.fixture
def persian() -> Iterator[None]:
    with translation.override("fa"):
        yield


PERSIAN_IN_CONTEXT = {("a date, then a time", "%(date)s, %(time)s"): "%(date)s، %(time)s"}


@pytest.fixture
def persian_catalog(persian: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time_display, "_", lambda message: PERSIAN.get(message, message))
    monkeypatch.setattr(
        time_display,
        "pgettext",
        lambda context, message: PERSIAN_IN_CONTEXT.get((context, message), message),
    )


@pytest.mark.parametrize(
    ("gregorian", "solar_hijri"),
    [
        (date(2026, 3, 21), "۱ فروردین ۱۴۰۵"),
        (date(2025, 3, 20), "۳۰ اسفند ۱۴۰۳"),  # 1403 is a leap year: Esfand has 30 days
        (date(2027, 3, 20), "۲۹ اسفند ۱۴۰۵"),
        (date(2027, 3, 21), "۱ فروردین ۱۴۰۶"),
    ],
)
def test_persian_readers_get_the_solar_hijri_date_in_persian_digits(
    persian: None, gregorian: date, solar_hijri: str
) -> None:
    assert format_date(gregorian, "j F Y") == solar_hijri


def test_english_readers_keep_the_gregorian_date() -> None:
    with translation.override("en"):
        assert format_date(date(2026, 3, 21), "D j M Y") == "Sat 21 Mar 2026"


def test_a_persian_date_and_time_reads_as_one_persian_sentence(persian_catalog: None) -> None:
    text = describe_time(MOMENT, "Asia/Tehran", "Asia/Tehran")

    assert text == "یک\u200cشنبه ۲۹ آذر ۱۴۰۵، ساعت ۲۰:۳۰ به وقت تهران"


def test_beside_the_events_own_time_a_persian_reader_also_gets_the_gregorian_date(
    persian_catalog: None,
) -> None:
    text = describe_time(MOMENT, "Asia/Tehran", "America/Los_Angeles")

    assert text == (
        "یک\u200cشنبه ۲۹ آذر ۱۴۰۵ (۲۰ دسامبر ۲۰۲۶)، ساعت ۲۰:۳۰ به وقت تهران"
        " — ۰۹:۰۰ به وقت لوس\u200cآنجلس، وقت رویداد"
    )


def test_an_event_day_that_differs_is_written_in_the_readers_calendar(
    persian_catalog: None,
) -> None:
    # 01:00 on Monday in Tehran is still Sunday afternoon in Los Angeles.
    text = describe_time(
        datetime(2026, 12, 20, 21, 30, tzinfo=UTC), "Asia/Tehran", "America/Los_Angeles"
    )

    assert text.endswith("— یک\u200cشنبه ۲۹ آذر، ۱۳:۳۰ به وقت لوس\u200cآنجلس، وقت رویداد")


def test_an_alias_of_the_same_zone_is_not_named_twice(persian_catalog: None) -> None:
    assert describe_time(MOMENT, "Iran", "Asia/Tehran") == describe_time(
        MOMENT, "Asia/Tehran", "Asia/Tehran"
    )


def test_a_person_who_prefers_gregorian_gets_it_in_their_own_language(persian: None) -> None:
    with calendar_override(GREGORIAN):
        assert format_date(date(2026, 12, 20), "j F Y") == "۲۰ دسامبر ۲۰۲۶"
    assert format_date(date(2026, 12, 20), "j F Y") == "۲۹ آذر ۱۴۰۵"


def test_english_sentences_are_unchanged() -> None:
    with translation.override("en"):
        assert describe_time(MOMENT, "Asia/Tehran", "America/Los_Angeles") == (
            "Sun 20 Dec 2026, 20:30 Tehran time — 09:00 in Los Angeles, event time"
        )


def test_digits_follow_the_language() -> None:
    assert localize_digits("20:30, 2026", "fa") == "۲۰:۳۰, ۲۰۲۶"
    assert localize_digits("20:30, 2026", "en") == "20:30, 2026"


@pytest.mark.parametrize(
    ("zone", "english", "persian"),
    [
        ("Asia/Tehran", "Tehran", "تهران"),
        ("Iran", "Tehran", "تهران"),
        ("America/Los_Angeles", "Los Angeles", "لوس\u200cآنجلس"),
        ("US/Pacific", "Los Angeles", "لوس\u200cآنجلس"),
        # CLDR files these under their older names (Asia/Calcutta, Europe/Kiev).
        ("Asia/Kolkata", "Kolkata", "کلکته"),
        ("Asia/Calcutta", "Kolkata", "کلکته"),
        ("Europe/Kyiv", "Kyiv", "کیف"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires", "بوئنوس\u200cآیرس"),
        ("Etc/UTC", "UTC", "UTC"),
    ],
)
def test_zones_are_named_in_the_readers_language(zone: str, english: str, persian: str) -> None:
    assert zone_label(zone, "en") == english
    assert zone_label(zone, "fa") == persian


def test_no_zone_a_persian_reader_can_pick_is_named_in_latin_letters() -> None:
    latin = {
        zone: zone_label(zone, "fa")
        for zone in canonical_time_zones() - {"UTC"}
        if re.search("[A-Za-z]", zone_label(zone, "fa"))
    }
    assert latin == {}


def test_a_zone_is_in_a_country_named_in_the_readers_language() -> None:
    assert zone_country("Asia/Tehran", "fa") == "ایران"
    assert zone_country("Asia/Tehran", "en") == "Iran"
    assert zone_country("UTC", "en") == ""


@pytest.mark.django_db
def test_an_events_length_is_written_in_persian_digits(client: Any) -> None:
    event = EventFactory()

    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert "(۱\xa0" in page  # "(1 hour)", whatever the words
