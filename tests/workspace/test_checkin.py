"""The door page: find, check in, undo, walk-ins; with and without JavaScript."""

import re

import pytest
from django.test import Client

from events.models import Event
from registrations.models import Registration
from tests.factories import EventFactory, register
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def checkin_url(event: Event) -> str:
    return f"/manage/events/{event.pk}/checkin/"


def people_listed(html: str) -> list[str]:
    return re.findall(r'<bdi class="person-name">(.*?)</bdi>', html)


def counts(html: str) -> str:
    match = re.search(r"<strong>(\d+)</strong> of (\d+) checked in", html)
    assert match, html
    return f"{match[1]}/{match[2]}"


def test_the_door_list_shows_confirmed_people_by_name(
    organizer_client: Client, event: Event
) -> None:
    for email, name in [
        ("z@example.org", "Zahra"),
        ("a@example.org", "Ana"),
        ("m@example.org", "Mehdi"),
    ]:
        register(event, email, name=name)
    register(event, "w@example.org", name="Waiting")
    html = organizer_client.get(checkin_url(event)).content.decode()
    assert people_listed(html) == ["Ana", "Mehdi", "Zahra"]
    assert counts(html) == "0/3"


def test_searching_finds_anyone_and_says_who_cannot_be_checked_in(
    organizer_client: Client, event: Event
) -> None:
    for n in range(3):
        register(event, f"p{n}@example.org", name=f"Shirin {n}")
    register(event, "late@example.org", name="شیرین دیرکرد")
    html = organizer_client.get(checkin_url(event), {"q": "شیرین"}).content.decode()
    assert people_listed(html) == ["شیرین دیرکرد"]
    assert "Waitlisted" in html
    assert "Check in" not in html.split("شیرین دیرکرد")[1].split("</li>")[0]


def test_a_search_with_a_null_character_finds_what_the_rest_of_it_finds(
    organizer_client: Client, event: Event
) -> None:
    register(event, "ana@example.org", name="Ana")
    register(event, "bob@example.org", name="Bob")
    response = organizer_client.get(checkin_url(event), {"q": "An\x00a"}, **FETCH)
    assert response.status_code == 200
    assert people_listed(response.content.decode()) == ["Ana"]


def test_typing_fetches_only_the_results_fragment(organizer_client: Client, event: Event) -> None:
    register(event, "ana@example.org", name="Ana")
    register(event, "bob@example.org", name="Bob")
    response = organizer_client.get(checkin_url(event), {"q": "an"}, **FETCH)
    html = response.content.decode()
    assert "<html" not in html
    assert people_listed(html) == ["Ana"]


def test_checking_in_without_javascript_returns_to_the_same_search(
    organizer_client: Client, event: Event
) -> None:
    ana = register(event, "ana@example.org", name="Ana")
    response = organizer_client.post(f"{checkin_url(event)}{ana.pk}/", {"q": "an"})
    assert response.status_code == 303
    assert response["Location"] == checkin_url(event) + "?q=an"
    html = organizer_client.get(response["Location"]).content.decode()
    assert counts(html) == "1/1"
    assert "Undo" in html
    assert AuditLogEntry.objects.filter(action="registration.checked_in").count() == 1


def test_checking_in_with_javascript_returns_the_updated_list(
    organizer_client: Client, event: Event
) -> None:
    ana = register(event, "ana@example.org", name="Ana")
    register(event, "bob@example.org", name="Bob")
    response = organizer_client.post(f"{checkin_url(event)}{ana.pk}/", {"q": ""}, **FETCH)
    assert response.status_code == 200
    assert counts(response.content.decode()) == "1/2"
    undone = organizer_client.post(f"{checkin_url(event)}{ana.pk}/undo/", {"q": ""}, **FETCH)
    assert counts(undone.content.decode()) == "0/2"
    assert Registration.objects.get(pk=ana.pk).checked_in_at is None
    assert AuditLogEntry.objects.filter(action="registration.check_in_undone").count() == 1


def test_a_waitlisted_person_cannot_be_checked_in(organizer_client: Client, event: Event) -> None:
    for n in range(3):
        register(event, f"p{n}@example.org")
    waiting = register(event, "w@example.org")
    plain = organizer_client.post(f"{checkin_url(event)}{waiting.pk}/", follow=True)
    assert "Only confirmed registrations can be checked in." in plain.content.decode()
    fetched = organizer_client.post(f"{checkin_url(event)}{waiting.pk}/", **FETCH)
    assert fetched.status_code == 409
    assert Registration.objects.get(pk=waiting.pk).checked_in_at is None


def test_online_events_explain_there_is_no_door(
    organizer_client: Client, organization: object
) -> None:
    webinar = EventFactory(organization=organization, kind=Event.Kind.WEBINAR)
    html = organizer_client.get(checkin_url(webinar)).content.decode()
    assert "Check-in is for in-person and hybrid events." in html
    assert 'name="q"' not in html


def walk_in(**overrides: str) -> dict[str, str]:
    return {
        "name": "Navid",
        "email": "navid@example.org",
        "time_zone": "America/New_York",
        "language": "en",
        **overrides,
    }


def test_a_walk_in_is_registered_and_checked_in(organizer_client: Client, event: Event) -> None:
    response = organizer_client.post(f"{checkin_url(event)}walk-in/", walk_in(), follow=True)
    html = response.content.decode()
    assert "Navid is registered and checked in." in html
    assert counts(html) == "1/1"
    navid = Registration.objects.get(email="navid@example.org")
    assert (navid.source, navid.status) == ("walk_in", "confirmed")
    assert AuditLogEntry.objects.filter(action="registration.walk_in").count() == 1


def test_a_walk_in_at_a_full_event_is_refused_clearly(
    organizer_client: Client, event: Event
) -> None:
    for n in range(3):
        register(event, f"p{n}@example.org")
    response = organizer_client.post(f"{checkin_url(event)}walk-in/", walk_in())
    assert response.status_code == 409
    assert "The event is full. Raise the capacity first" in response.content.decode()
    assert not Registration.objects.filter(email="navid@example.org").exists()


def test_a_walk_in_with_bad_input_shows_errors_by_the_fields(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(
        f"{checkin_url(event)}walk-in/", walk_in(name="", time_zone="Nowhere/City")
    )
    assert response.status_code == 400
    assert set(response.context["walk_in_form"].errors) == {"name", "time_zone"}


def test_a_walk_in_name_with_a_direction_override_is_refused(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(
        f"{checkin_url(event)}walk-in/", walk_in(name="Ana \u202eamiL")
    )
    assert response.status_code == 400
    assert set(response.context["walk_in_form"].errors) == {"name"}
    assert not Registration.objects.exists()


def test_a_walk_in_at_an_ip_address_is_refused(organizer_client: Client, event: Event) -> None:
    response = organizer_client.post(
        f"{checkin_url(event)}walk-in/", walk_in(email="ana@[127.0.0.1]")
    )
    assert response.status_code == 400
    assert set(response.context["walk_in_form"].errors) == {"email"}


def test_check_in_actions_refuse_get(organizer_client: Client, event: Event) -> None:
    ana = register(event, "ana@example.org")
    assert organizer_client.get(f"{checkin_url(event)}{ana.pk}/").status_code == 405
    assert organizer_client.get(f"{checkin_url(event)}walk-in/").status_code == 405
    assert Registration.objects.get(pk=ana.pk).checked_in_at is None


def cancel(client: Client, event: Event) -> None:
    assert client.post(f"/manage/events/{event.pk}/cancel/").status_code == 302


def test_a_cancelled_event_refuses_check_in_with_a_clear_message(
    organizer_client: Client, event: Event
) -> None:
    ana = register(event, "ana@example.org", name="Ana")
    cancel(organizer_client, event)
    refused = "This event has been cancelled, so nobody can be checked in."
    plain = organizer_client.post(f"{checkin_url(event)}{ana.pk}/", follow=True)
    assert refused in plain.content.decode()
    fetched = organizer_client.post(f"{checkin_url(event)}{ana.pk}/", **FETCH)
    assert (fetched.status_code, fetched.content.decode()) == (409, refused)
    assert Registration.objects.get(pk=ana.pk).checked_in_at is None
    assert not AuditLogEntry.objects.filter(action="registration.checked_in").exists()


def test_a_cancelled_event_refuses_walk_ins_with_a_clear_message(
    organizer_client: Client, event: Event
) -> None:
    cancel(organizer_client, event)
    response = organizer_client.post(f"{checkin_url(event)}walk-in/", walk_in())
    assert response.status_code == 409
    assert "This event has been cancelled, so nobody can be added." in response.content.decode()
    assert not Registration.objects.filter(email="navid@example.org").exists()


def test_the_door_page_of_a_cancelled_event_says_so_and_offers_only_undo(
    organizer_client: Client, event: Event
) -> None:
    ana = register(event, "ana@example.org", name="Ana")
    bob = register(event, "bob@example.org", name="Bob")
    organizer_client.post(f"{checkin_url(event)}{ana.pk}/")
    cancel(organizer_client, event)
    html = organizer_client.get(checkin_url(event)).content.decode()
    assert "This event is cancelled, so nobody can be checked in" in html
    assert people_listed(html) == ["Ana", "Bob"]
    assert f"{checkin_url(event)}{bob.pk}/" not in html  # no Check in button
    assert "walk-in/" not in html
    assert f"{checkin_url(event)}{ana.pk}/undo/" in html
    # Undoing a mistaken check-in only corrects the record, so it stays allowed.
    organizer_client.post(f"{checkin_url(event)}{ana.pk}/undo/")
    assert Registration.objects.get(pk=ana.pk).checked_in_at is None
