"""The anonymous event page comes from a per-process cache, per language and viewer zone.

docs/design.md, "The event page cache": one light query per view, a CSRF token of the
visitor's own, seats left always current, never seats when full, an edit of the event shown
at once.
"""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event
from events.viewer import TIME_ZONE_COOKIE
from registrations.page_cache import CSRF_MARKER
from tests.factories import EventFactory, UserFactory
from tests.registrations.test_views import form_data, register_url

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client: Client, event: Event, **headers: Any) -> str:
    response = client.get(f"/events/{event.slug}/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_anonymous_view_costs_one_query(
    client: Client, django_assert_num_queries: Any
) -> None:
    event = EventFactory(title="Launch day", capacity=10)
    first = page(client, event)

    with django_assert_num_queries(1):
        second = page(Client(), event)

    assert "Launch day" in second
    assert CSRF_INPUT.sub("", first) == CSRF_INPUT.sub("", second)


def test_each_visitor_of_a_cached_page_gets_a_token_that_posts() -> None:
    event = EventFactory(capacity=10)
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    tokens = [CSRF_INPUT.findall(page(visitor, event)) for visitor in visitors]

    assert all(found and CSRF_MARKER not in found for found in tokens)
    assert len({found[0] for found in tokens}) == 3
    for number, (visitor, found) in enumerate(zip(visitors, tokens, strict=True)):
        response = visitor.post(
            register_url(event),
            {**form_data(email=f"v{number}@example.org"), "csrfmiddlewaretoken": found[-1]},
        )
        assert response.status_code == 302, response.content[:300]


def test_a_full_event_never_shows_seats_even_from_a_fresh_copy() -> None:
    event = EventFactory(capacity=1)
    assert "1 seat left" in page(Client(), event)

    Client().post(register_url(event), form_data(email="last@example.org"))

    later = page(Client(), event)
    assert "1 seat left" not in later
    assert "This event is full" in later


def test_a_copy_shows_the_seats_left_now_not_when_it_was_rendered(settings: Any) -> None:
    settings.EVENT_PAGE_CACHE_SECONDS = 60
    event = EventFactory(capacity=5)
    first = page(Client(), event)
    Client().post(register_url(event), form_data(email="a@example.org"))

    second = page(Client(), event)

    assert "5 seats left" in first
    assert "4 seats left" in second
    # The same copy served both: only the seats line (and the token) differ.
    assert (
        second.replace("4 seats left", "5 seats left").split('name="csrfmiddlewaretoken"')[0]
        == first.split('name="csrfmiddlewaretoken"')[0]
    )


def test_an_edit_of_the_event_shows_at_once_within_a_copys_life(settings: Any) -> None:
    settings.EVENT_PAGE_CACHE_SECONDS = 60
    event = EventFactory(title="Launch day", capacity=5)
    assert "Launch day" in page(Client(), event)

    event.title = "Launch day, moved"
    event.save()

    assert "Launch day, moved" in page(Client(), event)


def test_languages_and_zones_get_their_own_copies() -> None:
    event = EventFactory(capacity=5, time_zone="Europe/Berlin")
    english = page(Client(), event)
    persian = page(Client(), event, HTTP_ACCEPT_LANGUAGE="fa")
    tehran = page(Client(), event, HTTP_COOKIE=f"{TIME_ZONE_COOKIE}=Asia%2FTehran")

    assert '<html lang="fa"' in persian and '<html lang="en"' in english
    assert 'value="Asia/Tehran" selected' in tehran
    assert 'value="Asia/Tehran" selected' not in english
    assert '<html lang="en"' in page(Client(), event)


def test_a_signed_in_visitor_gets_a_page_of_their_own(client: Client) -> None:
    event = EventFactory(capacity=5)
    page(Client(), event)  # an anonymous copy exists
    user = UserFactory(email="organizer@example.org")
    client.force_login(user)

    assert reverse("account_logout") in page(client, event)
    assert reverse("account_logout") not in page(Client(), event)


def test_a_missing_or_draft_event_is_still_a_404(client: Client) -> None:
    draft = EventFactory(status=Event.Status.DRAFT)

    assert client.get(f"/events/{draft.slug}/").status_code == 404
    assert client.get("/events/no-such-event/").status_code == 404
