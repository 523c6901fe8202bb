"""An organizer reading Persian may keep the Gregorian calendar for themselves."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from events.models import Event

pytestmark = pytest.mark.django_db


def overview(client: Client, event: Event) -> str:
    url = reverse("workspace:event_overview", kwargs={"event_id": event.pk})
    return client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()


def test_a_persian_organizer_sees_solar_hijri_dates_until_choosing_gregorian(
    organizer_client: Client, organizer: User, event: Event
) -> None:
    event.starts_at = event.starts_at.replace(year=2026, month=12, day=20, hour=17)
    event.ends_at = event.starts_at.replace(hour=18)
    event.save()
    assert "۱۴۰۵" in overview(organizer_client, event)

    response = organizer_client.post(
        reverse("workspace:calendar"), {"calendar": "gregorian"}, HTTP_ACCEPT_LANGUAGE="fa"
    )

    assert response.status_code == 302
    organizer.refresh_from_db()
    assert organizer.calendar == "gregorian"
    page = overview(organizer_client, event)
    assert "۱۴۰۵" not in page
    assert "۲۰۲۶" in page


def test_the_choice_is_offered_to_persian_readers_and_checked(
    organizer_client: Client, organizer: User
) -> None:
    home = organizer_client.get(reverse("workspace:home"), HTTP_ACCEPT_LANGUAGE="fa")
    assert 'action="/manage/calendar/"' in home.content.decode()
    english = organizer_client.get(reverse("workspace:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'action="/manage/calendar/"' not in english.content.decode()

    response = organizer_client.post(reverse("workspace:calendar"), {"calendar": "julian"})

    assert response.status_code == 400
    organizer.refresh_from_db()
    assert organizer.calendar == ""
