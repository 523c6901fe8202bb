"""An organization's default language: its page and feeds answer in it when the request
names no language (calendar apps, feed readers, link-preview bots, a browser that says
nothing); a person's own choice or their browser's still wins."""

from datetime import timedelta

import icalendar
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from events.models import Organization
from tests.factories import EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization() -> Organization:
    organization = OrganizationFactory(name="Sedaha", slug="sedaha", language="fa")
    EventFactory(
        organization=organization,
        title="Readings",
        starts_at=timezone.now() + timedelta(days=3),
        time_zone="Asia/Tehran",
    )
    return organization


def test_a_request_naming_no_language_gets_the_organizations(
    organization: Organization,
) -> None:
    response = Client().get("/o/sedaha/")
    assert response["Content-Language"] == "fa"
    page = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert "رویدادهای پیش رو" in page


def test_the_browsers_language_wins(organization: Organization) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get("/o/sedaha/")
    assert response["Content-Language"] == "en"
    assert "Upcoming events" in response.content.decode()


def test_the_language_picked_on_the_site_wins(organization: Organization) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/o/sedaha/")
    assert response["Content-Language"] == "en"


def test_an_english_organization_stays_english_for_such_requests() -> None:
    OrganizationFactory(slug="voices", language="en")
    assert Client().get("/o/voices/")["Content-Language"] == "en"


def test_a_calendar_app_gets_the_feed_in_the_organizations_language(
    organization: Organization,
) -> None:
    persian = Client().get("/o/sedaha/calendar.ics")
    calendar = icalendar.Calendar.from_ical(persian.content)
    (vevent,) = calendar.walk("VEVENT")
    assert "صفحه رویداد" in str(vevent["DESCRIPTION"])
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/o/sedaha/calendar.ics")
    assert "Event page" in english.content.decode()
    # Each language is its own version of the feed: a 304 never hands one the other's.
    assert persian["ETag"] != english["ETag"]


def test_a_feed_reader_gets_the_atom_feed_in_the_organizations_language(
    organization: Organization,
) -> None:
    body = Client().get("/o/sedaha/feed.atom").content.decode()
    assert "رویدادهای پیش روی Sedaha" in body
