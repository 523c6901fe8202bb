"""Events over the API: list, read, create, update, publish, cancel, with real tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from events.services import event_translation_save
from notifications.models import OutboxEmail, ReminderRule
from tests.api.conftest import ApiWorld, assert_problem
from tests.factories import EventFactory, register
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def new_event(**overrides: object) -> dict[str, object]:
    starts = timezone.now() + timedelta(days=10)
    return {
        "title": "Poetry night",
        "kind": "webinar",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "time_zone": "Europe/Berlin",
        "join_url": "https://meet.example.org/poetry",
        "capacity": 50,
        **overrides,
    }


def test_the_event_list_shows_the_organizations_events_only(api_world: ApiWorld) -> None:
    response = api_world.reader.get("/events")

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Evening of readings"]
    item = response.json()["items"][0]
    assert item["seats_left"] == 2
    assert item["url"].endswith(f"/events/{api_world.event.slug}/")


def test_the_event_list_pages_with_a_cursor_and_filters(api_world: ApiWorld) -> None:
    start = timezone.now() + timedelta(days=30)
    for day in range(5):
        EventFactory(
            organization=api_world.organization,
            title=f"Session {day}",
            starts_at=start + timedelta(days=day),
            status=Event.Status.DRAFT,
        )

    seen, cursor = [], None
    while True:
        query = {"status": "draft", "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api_world.reader.get("/events", **query).json()
        seen += [item["title"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert seen == [f"Session {day}" for day in range(5)]
    later = api_world.reader.get(
        "/events", starts_after=(start + timedelta(days=3)).isoformat()
    ).json()
    assert [item["title"] for item in later["items"]] == ["Session 3", "Session 4"]


def test_a_bad_cursor_or_filter_is_a_422_naming_the_parameter(api_world: ApiWorld) -> None:
    body = assert_problem(
        api_world.reader.get("/events", cursor="not-a-cursor"), 422, "validation_failed"
    )
    assert body["errors"] == [{"location": "query", "field": "cursor", "detail": "Invalid cursor."}]
    body = assert_problem(api_world.reader.get("/events", status="gone"), 422, "validation_failed")
    assert body["errors"][0]["location"] == "query"
    assert body["errors"][0]["field"] == "status"


def test_a_token_creates_a_draft_with_default_reminders_and_the_audit_log_names_it(
    api_world: ApiWorld,
) -> None:
    response = api_world.writer.post("/events", new_event())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["slug"] == "poetry-night"
    event = Event.objects.get(pk=body["id"])
    assert event.organization == api_world.organization
    assert ReminderRule.objects.filter(event=event).count() == 2
    entry = AuditLogEntry.objects.get(action="event.created", event=event)
    assert entry.actor is None
    assert entry.details["api_token"] == {"id": api_world.write_token.pk, "name": "CRM sync"}


def test_invalid_event_fields_come_back_one_by_one(api_world: ApiWorld) -> None:
    body = assert_problem(
        api_world.writer.post(
            "/events",
            new_event(title="", kind="opera", starts_at="2030-01-01T10:00:00", capacity=0),
        ),
        422,
        "validation_failed",
    )
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"title", "kind", "starts_at", "capacity"}
    assert all(error["location"] == "body" for error in body["errors"])


def test_model_rules_are_field_errors_too(api_world: ApiWorld) -> None:
    starts = timezone.now() + timedelta(days=3)
    body = assert_problem(
        api_world.writer.post(
            "/events",
            new_event(
                time_zone="Mars/Olympus",
                join_url="http://insecure.example.org",
                ends_at=(starts - timedelta(hours=1)).isoformat(),
                starts_at=starts.isoformat(),
            ),
        ),
        422,
        "validation_failed",
    )
    fields = {error["field"] for error in body["errors"]}
    assert {"time_zone", "join_url"} <= fields


def test_years_outside_1900_to_2999_and_nul_characters_are_refused(api_world: ApiWorld) -> None:
    body = assert_problem(
        api_world.writer.post(
            "/events", new_event(starts_at="9999-12-31T23:59:59-23:59", title="a\x00b")
        ),
        422,
        "validation_failed",
    )
    assert {error["field"] for error in body["errors"]} == {"starts_at", "title"}


def test_an_update_changes_the_fields_sent_and_tells_registrants_of_a_move(
    api_world: ApiWorld,
) -> None:
    register(api_world.event, "reader@example.org")
    new_start = api_world.event.starts_at + timedelta(days=1)
    response = api_world.writer.patch(
        f"/events/{api_world.event.pk}",
        {
            "starts_at": new_start.isoformat(),
            "ends_at": (new_start + timedelta(hours=1)).isoformat(),
        },
    )

    assert response.status_code == 200, response.content
    api_world.event.refresh_from_db()
    assert api_world.event.starts_at == new_start
    assert api_world.event.title == "Evening of readings"
    assert OutboxEmail.objects.filter(recipient="reader@example.org", kind="event_updated").exists()
    assert AuditLogEntry.objects.filter(action="event.updated", event=api_world.event).exists()


def test_an_update_may_not_null_a_required_field_nor_lower_capacity_below_seats(
    api_world: ApiWorld,
) -> None:
    register(api_world.event, "one@example.org")
    register(api_world.event, "two@example.org")
    path = f"/events/{api_world.event.pk}"
    body = assert_problem(api_world.writer.patch(path, {"title": None}), 422, "validation_failed")
    assert body["errors"][0]["field"] == "title"
    body = assert_problem(api_world.writer.patch(path, {"capacity": 1}), 422, "validation_failed")
    assert body["errors"][0]["field"] == "capacity"


def test_publish_opens_a_draft_and_refuses_twice(api_world: ApiWorld) -> None:
    draft = api_world.writer.post("/events", new_event()).json()

    response = api_world.writer.post(f"/events/{draft['id']}/publish")
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert_problem(api_world.writer.post(f"/events/{draft['id']}/publish"), 409, "not_a_draft")


def test_publish_without_a_join_link_names_the_field(api_world: ApiWorld) -> None:
    draft = api_world.writer.post("/events", new_event(join_url="")).json()

    body = assert_problem(
        api_world.writer.post(f"/events/{draft['id']}/publish"), 422, "validation_failed"
    )
    assert body["errors"][0]["field"] == "join_url"


def test_cancel_tells_registrants_and_is_idempotent(api_world: ApiWorld) -> None:
    register(api_world.event, "reader@example.org")
    path = f"/events/{api_world.event.pk}/cancel"

    assert api_world.writer.post(path).json()["status"] == "cancelled"
    assert api_world.writer.post(path).status_code == 200
    assert (
        OutboxEmail.objects.filter(recipient="reader@example.org", kind="event_cancelled").count()
        == 1
    )
    assert AuditLogEntry.objects.filter(action="event.cancelled").count() == 1
    assert_problem(
        api_world.writer.patch(f"/events/{api_world.event.pk}", {"title": "x"}),
        409,
        "event_cancelled",
    )


def test_an_event_shows_its_language_and_its_other_languages_read_only(
    api_world: ApiWorld,
) -> None:
    event = api_world.event
    Event.objects.filter(pk=event.pk).update(language="en")
    event_translation_save(event=event, language="fa", texts={"title": "شب شعر"}, question_texts={})

    body = api_world.reader.get(f"/events/{event.pk}").json()

    assert body["language"] == "en"
    assert body["translations"] == [
        {
            "language": "fa",
            "title": "شب شعر",
            "description": "",
            "venue_name": "",
            "venue_address": "",
            "joining_instructions": "",
        }
    ]
    listed = api_world.reader.get("/events").json()["items"]
    assert [item["translations"][0]["title"] for item in listed] == ["شب شعر"]
