"""Registrations over the API go through the same form and service as the public page."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from events.models import Event, Question
from notifications.models import OutboxEmail, ReminderRule, ScheduledReminder
from registrations.models import Registration
from tests.api.conftest import ApiWorld, assert_problem
from tests.factories import QuestionFactory, register
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def person(email: str, **overrides: object) -> dict[str, object]:
    return {
        "name": "Dara",
        "email": email,
        "time_zone": "Asia/Tehran",
        "language": "fa",
        **overrides,
    }


def test_registering_confirms_while_seats_last_then_waitlists(api_world: ApiWorld) -> None:
    ReminderRule.objects.create(event=api_world.event, minutes_before=60)
    path = f"/events/{api_world.event.pk}/registrations"
    statuses = [
        api_world.writer.post(path, person(f"p{n}@example.org")).json()["status"] for n in range(3)
    ]

    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    api_world.event.refresh_from_db()
    assert api_world.event.seats_taken == 2
    confirmed = Registration.objects.get(email="p0@example.org")
    assert OutboxEmail.objects.filter(recipient="p0@example.org", kind="confirmation").exists()
    assert OutboxEmail.objects.filter(recipient="p2@example.org", kind="waitlisted").exists()
    assert ScheduledReminder.objects.filter(registration=confirmed).exists()
    entry = AuditLogEntry.objects.filter(action="registration.added").first()
    assert entry is not None and entry.details["api_token"]["name"] == "CRM sync"


def test_an_address_already_registered_is_a_409_with_its_registration(api_world: ApiWorld) -> None:
    existing = register(api_world.event, "dara@example.org")

    body = assert_problem(
        api_world.writer.post(
            f"/events/{api_world.event.pk}/registrations", person(" DARA@example.org ")
        ),
        409,
        "already_registered",
    )
    assert body["registration_id"] == existing.pk
    assert Registration.objects.filter(event=api_world.event).count() == 1


def test_a_closed_event_is_a_409(api_world: ApiWorld) -> None:
    Event.objects.filter(pk=api_world.event.pk).update(status=Event.Status.DRAFT)

    assert_problem(
        api_world.writer.post(
            f"/events/{api_world.event.pk}/registrations", person("x@example.org")
        ),
        409,
        "registration_closed",
    )


def test_answers_are_checked_like_the_forms(api_world: ApiWorld) -> None:
    color = QuestionFactory(
        event=api_world.event,
        label="Colour?",
        kind=Question.Kind.SINGLE_CHOICE,
        choices="Red\nBlue",
        required=True,
    )
    path = f"/events/{api_world.event.pk}/registrations"

    body = assert_problem(
        api_world.writer.post(path, person("a@example.org", answers={str(color.pk): "Green"})),
        422,
        "validation_failed",
    )
    assert body["errors"][0]["field"] == f"answers.{color.pk}"
    body = assert_problem(
        api_world.writer.post(path, person("a@example.org", answers={"999999": "x"})),
        422,
        "validation_failed",
    )
    assert body["errors"][0]["field"] == "answers.999999"
    body = assert_problem(
        api_world.writer.post(path, person("not-an-address", time_zone="Nowhere/Else")),
        422,
        "validation_failed",
    )
    assert {error["field"] for error in body["errors"]} == {
        "email",
        "time_zone",
        f"answers.{color.pk}",
    }

    response = api_world.writer.post(path, person("a@example.org", answers={str(color.pk): "Blue"}))
    assert response.status_code == 201
    assert response.json()["answers"] == {str(color.pk): "Blue"}


def test_the_list_filters_by_status_and_updated_since_and_pages(api_world: ApiWorld) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        first = register(api_world.event, "first@example.org")
        register(api_world.event, "second@example.org")
        register(api_world.event, "third@example.org")  # waitlisted
    since = timezone.now() - timedelta(minutes=1)
    path = f"/events/{api_world.event.pk}/registrations"

    waitlisted = api_world.reader.get(path, status="waitlisted").json()["items"]
    assert [item["email"] for item in waitlisted] == ["third@example.org"]
    assert api_world.reader.get(path, updated_since=since.isoformat()).json()["items"] == []

    api_world.writer.post(f"{path}/{first.pk}/cancel")  # third is promoted

    changed = api_world.reader.get(path, updated_since=since.isoformat()).json()["items"]
    assert {(item["email"], item["status"]) for item in changed} == {
        ("first@example.org", "cancelled"),
        ("third@example.org", "confirmed"),
    }
    page = api_world.reader.get(path, limit=2).json()
    rest = api_world.reader.get(path, limit=2, cursor=page["next_cursor"]).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1
    assert rest["next_cursor"] is None


def test_read_cancel_and_check_in(api_world: ApiWorld) -> None:
    registration = register(api_world.event, "guest@example.org")
    path = f"/events/{api_world.event.pk}/registrations/{registration.pk}"

    assert api_world.reader.get(path).json()["email"] == "guest@example.org"
    checked_in = api_world.writer.post(path + "/check-in").json()
    assert checked_in["checked_in_at"] is not None
    cancelled = api_world.writer.post(path + "/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert_problem(api_world.writer.post(path + "/check-in"), 409, "invalid_transition")
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"registration.checked_in", "registration.cancelled"} <= actions
