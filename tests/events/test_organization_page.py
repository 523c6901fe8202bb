"""An organization's public page, and every event page linking to it."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event, Organization
from tests.factories import EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory(
        name="Voices for Change",
        slug="voices",
        description="Talks about the city.",
        logo_url="https://voices.example.org/logo.png",
        contact_email="hello@voices.example.org",
    )


def test_the_page_lists_upcoming_and_past_events_in_the_visitors_zone(
    client: Client, organization: Organization
) -> None:
    soon = timezone.now() + timedelta(days=3)
    EventFactory(organization=organization, title="Coming up", starts_at=soon, time_zone="UTC")
    EventFactory(
        organization=organization,
        title="Long ago",
        starts_at=timezone.now() - timedelta(days=30),
    )
    EventFactory(organization=organization, title="Still a draft", status=Event.Status.DRAFT)
    EventFactory(title="Someone else's")
    client.cookies["convene_tz"] = "Asia%2FTehran"

    page = client.get("/o/voices/").content.decode()

    assert "Voices for Change" in page
    assert "Talks about the city." in page
    # Pages load nothing from other hosts: the logo is for link previews only.
    assert 'src="https://voices.example.org/logo.png"' not in page
    upcoming, past = page.split('id="past-heading"')
    assert "Coming up" in upcoming
    assert "Tehran time" in upcoming
    assert "Long ago" in past
    assert "Still a draft" not in page
    assert "Someone else" not in page


def test_the_page_says_how_to_follow(client: Client, organization: Organization) -> None:
    page = client.get("/o/voices/").content.decode()
    assert 'href="webcal://convene.test/o/voices/calendar.ics"' in page
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F" in page
    assert "/o/voices/feed.atom" in page


def test_an_unknown_or_waiting_organization_is_404(client: Client) -> None:
    OrganizationFactory(slug="waiting", status=Organization.Status.PENDING)
    assert client.get("/o/nobody/").status_code == 404
    assert client.get("/o/waiting/").status_code == 404
    assert client.get("/o/waiting/calendar.ics").status_code == 404
    assert client.get("/o/waiting/feed.atom").status_code == 404


def test_every_event_page_links_its_organizer(client: Client, organization: Organization) -> None:
    event = EventFactory(organization=organization)
    assert 'href="/o/voices/"' in client.get(event.get_absolute_url()).content.decode()
    assert 'href="/o/voices/"' in client.get("/").content.decode()


def test_the_atom_feed_has_upcoming_events_only(client: Client, organization: Organization) -> None:
    EventFactory(organization=organization, title="Coming up")
    EventFactory(
        organization=organization, title="Long ago", starts_at=timezone.now() - timedelta(days=9)
    )
    response = client.get("/o/voices/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Coming up" in body
    assert "Long ago" not in body
    assert "secret-room" not in body


# --- pages that share well -----------------------------------------------------------------


def json_ld_of(page: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_an_event_page_carries_a_preview_and_structured_data(
    client: Client, organization: Organization
) -> None:
    event = EventFactory(
        organization=organization,
        slug="hybrid-night",
        title="Hybrid night",
        kind=Event.Kind.HYBRID,
        venue_name="Corner Bookstore",
        venue_address="1 Main St",
        time_zone="Asia/Tehran",
        description="We talk about **books**.",
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="https://convene.test/events/hybrid-night/">' in page
    assert '<meta property="og:title" content="Hybrid night">' in page
    assert '<meta property="og:image" content="https://voices.example.org/logo.png">' in page
    assert 'name="twitter:card"' in page
    assert "Tehran" in page.split('property="og:description"')[1].split(">")[0]
    data = json_ld_of(page)
    assert data["@type"] == "Event"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["startDate"].endswith("+03:30")  # type: ignore[union-attr]
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]  # type: ignore[union-attr,index]
    assert data["organizer"]["name"] == "Voices for Change"  # type: ignore[index]
    assert data["description"] == "We talk about books."
    assert "secret-room" not in page


def test_an_online_event_has_a_virtual_location(client: Client) -> None:
    event = EventFactory(kind=Event.Kind.WEBINAR)
    data = json_ld_of(client.get(event.get_absolute_url()).content.decode())
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"  # type: ignore[index]


def test_a_title_cannot_break_out_of_the_structured_data(client: Client) -> None:
    event = EventFactory(title="</script><script>alert(1)</script>")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld_of(page)["name"] == "</script><script>alert(1)</script>"


def test_the_organization_page_carries_a_preview(
    client: Client, organization: Organization
) -> None:
    page = client.get("/o/voices/").content.decode()
    assert '<meta property="og:title" content="Voices for Change">' in page
    assert '<link rel="canonical" href="https://convene.test/o/voices/">' in page
    data = json_ld_of(page)
    assert data["@type"] == "Organization"
    assert data["logo"] == "https://voices.example.org/logo.png"


def test_seed_demo_has_a_second_organization_cohosting_an_event(client: Client) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # a second run changes nothing
    readings = "Evening of readings at the Corner Bookstore"
    assert readings in client.get("/o/corner-bookstore/").content.decode()
    assert readings in client.get("/o/voices-for-change/").content.decode()
    assert "Organizing across borders" not in client.get("/o/corner-bookstore/").content.decode()


def test_the_atom_feed_leaves_out_control_characters_stored_before_they_were_refused(
    client: Client, organization: Organization
) -> None:
    # Text areas refuse them now; rows saved earlier (or by a script) may still hold them,
    # and XML cannot carry them: the feed was a 500 for everyone.
    Organization.objects.filter(pk=organization.pk).update(description="Talks\x0babout\x01 it")
    EventFactory(organization=organization, title="Coming up", description="Line\x0bbreak")

    response = client.get("/o/voices/feed.atom")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Talksabout it" in body
    assert "Linebreak" in body
