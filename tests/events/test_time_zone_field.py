"""The time-zone picker: canonical zones with their offset and name; aliases still accepted."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from events.time_zone_field import time_zone_choices
from registrations.models import Registration
from tests.factories import EventFactory

WINTER = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
ALIASES = {"Iran", "W-SU", "US/Pacific", "Asia/Calcutta", "Europe/Kiev", "GMT", "Etc/UTC"}


def choices(language: str) -> dict[str, str]:
    with time_machine.travel(WINTER, tick=False), translation.override(language):
        return dict(time_zone_choices())


def test_the_list_has_canonical_zones_only() -> None:
    offered = choices("en")

    assert not offered.keys() & ALIASES
    assert {"Asia/Tehran", "Asia/Kolkata", "Europe/Kyiv", "Europe/Amsterdam", "UTC"} <= set(offered)
    assert 400 < len(offered) < 450


def test_each_zone_shows_its_offset_now_and_its_place_in_the_pages_language() -> None:
    assert choices("en")["Asia/Tehran"] == "\u2068UTC+03:30\u2069 Tehran, Iran"
    assert (
        choices("en")["America/Los_Angeles"]
        == "\u2068UTC\u221208:00\u2069 Los Angeles, United States"
    )
    assert choices("en")["UTC"] == "UTC"
    # The catalog gives "%(city)s، %(country)s"; without it the comma is a Latin one.
    assert re.fullmatch("\u2068UTC\\+۰۳:۳۰\u2069 تهران[،,] ایران", choices("fa")["Asia/Tehran"])


def test_the_list_runs_west_to_east() -> None:
    names = list(choices("en"))

    assert names.index("Pacific/Honolulu") < names.index("America/Los_Angeles")
    assert names.index("America/Los_Angeles") < names.index("UTC") < names.index("Asia/Tehran")
    assert names.index("Asia/Tehran") < names.index("Asia/Tokyo")


def test_offsets_follow_daylight_saving_time() -> None:
    with time_machine.travel(datetime(2026, 7, 1, tzinfo=UTC), tick=False):
        summer = dict(time_zone_choices())

    assert summer["America/Los_Angeles"].startswith("\u2068UTC\u221207:00\u2069")


@pytest.mark.django_db
def test_an_alias_is_still_accepted_when_submitted(client: Client) -> None:
    event = EventFactory()
    response = client.post(
        reverse("registrations:register", kwargs={"slug": event.slug}),
        {"name": "Dara", "email": "dara@example.org", "time_zone": "Iran", "language": "fa"},
    )

    assert response.status_code == 302
    assert Registration.objects.get(email="dara@example.org").time_zone == "Iran"


@pytest.mark.django_db
def test_a_browser_zone_that_is_an_alias_stays_selected(client: Client) -> None:
    # Chromium reports India as Asia/Calcutta; the page must not quietly pick another zone.
    event = EventFactory()
    client.cookies["convene_tz"] = "Asia/Calcutta"

    page = client.get(event.get_absolute_url()).content.decode()

    assert re.search(r'<option value="Asia/Calcutta" selected>[^<]*Kolkata, India</option>', page)
    assert page.count('value="Asia/Kolkata"') == 1
