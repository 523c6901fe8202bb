"""The public series pages: sessions with seats left, joining all, the personal link, leaving."""

from typing import Any

import pytest
from django.test import Client

from events.models import Event, Organization
from registrations.models import Registration
from series.models import SeriesRegistration
from series.selectors import series_registration_token
from series.services import series_end, series_generate
from tests.factories import register
from tests.series.helpers import weekly_series

pytestmark = pytest.mark.django_db


def person(**overrides: str) -> dict[str, str]:
    return {
        "name": "Ana",
        "email": "ana@example.org",
        "time_zone": "Asia/Tehran",
        "language": "en",
        **overrides,
    }


def _series() -> Any:
    series = weekly_series(capacity=5)
    series_generate(series=series)
    return series


def test_the_series_page_lists_upcoming_sessions_with_seats_left(client: Client) -> None:
    series = _series()
    first = Event.objects.filter(series_session__series=series).first()
    assert first is not None
    register(first, "solo@example.org")

    page = client.get(series.get_absolute_url()).content.decode()

    assert page.count("5 seats left") == 2
    assert "4 seats left" in page
    assert "Register for all upcoming sessions" in page


def test_a_sessions_page_offers_this_session_or_all_upcoming(client: Client) -> None:
    series = _series()
    first = Event.objects.filter(series_session__series=series).first()
    assert first is not None

    page = client.get(first.get_absolute_url()).content.decode()

    assert "This is one session of" in page
    assert "Register for this session" in page
    assert f'href="{series.get_absolute_url()}#join"' in page
    ordinary = client.get(register_event_page_url()).content.decode()
    assert "This is one session of" not in ordinary


def register_event_page_url() -> str:
    from tests.factories import EventFactory

    return str(EventFactory().get_absolute_url())


def test_joining_leads_to_the_personal_page_and_leaving_cancels_every_session(
    client: Client,
) -> None:
    series = _series()

    response = client.post(f"/series/{series.slug}/join/", person())

    assert response.status_code == 302
    manage = client.get(response["Location"])
    assert "no-store" in manage["Cache-Control"]
    assert manage.content.decode().count("Confirmed") == 3
    member = SeriesRegistration.objects.get()
    token = series_registration_token(member)
    confirm = client.get(f"/series/r/{token}/leave/")
    assert "Leave the series?" in confirm.content.decode()
    assert Registration.objects.filter(status="confirmed").count() == 3  # a GET changes nothing

    client.post(f"/series/r/{token}/leave/", {"confirm": "yes"})

    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
    member.refresh_from_db()
    assert not member.is_active


def test_bad_input_is_a_form_error_and_a_bad_link_a_404(client: Client) -> None:
    series = _series()

    response = client.post(f"/series/{series.slug}/join/", person(email="not an address"))

    assert response.status_code == 400
    assert not Registration.objects.exists()
    assert client.get("/series/r/forged-token/").status_code == 404
    assert client.get("/series/no-such-series/").status_code == 404


def test_an_ended_series_takes_nobody(client: Client) -> None:
    series = _series()
    series_end(series=series)

    response = client.post(f"/series/{series.slug}/join/", person())

    assert response.status_code == 409
    assert not SeriesRegistration.objects.exists()


def test_an_organization_that_asks_for_consent_gets_it_once_for_every_session(
    client: Client,
) -> None:
    series = _series()
    Organization.objects.filter(pk=series.organization_id).update(consent_required=True)

    refused = client.post(f"/series/{series.slug}/join/", person())
    assert refused.status_code == 400
    assert not Registration.objects.exists()

    client.post(f"/series/{series.slug}/join/", person(consent="on"))

    registrations = Registration.objects.all()
    assert registrations.count() == 3
    assert {r.consent_text for r in registrations} == {
        f"I agree that {series.organization.name} keeps my name and email to send me this "
        "event's details."
    }
    # A session generated later gets the same consent.
    member = SeriesRegistration.objects.get()
    assert member.consent_text == registrations[0].consent_text
