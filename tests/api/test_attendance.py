"""Attendance over the API: each registration's attended / absent and minutes, the event's
statistics with the attendance rate, and the follow-ups after the end."""

from datetime import timedelta

import pytest
from time_machine import TimeMachineFixture

from events.models import Event
from notifications.models import ReminderRule, ScheduledReminder
from registrations.models import Registration
from tests.api.conftest import ApiWorld, assert_problem
from tests.factories import register
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def _attendance(api_world: ApiWorld) -> dict[str, tuple[object, object]]:
    items = api_world.reader.get(f"/events/{api_world.event.pk}/registrations").json()["items"]
    return {item["email"]: (item["attendance"], item["attended_minutes"]) for item in items}


def test_registrations_say_attended_absent_or_not_yet_known_with_minutes(
    api_world: ApiWorld, time_machine: TimeMachineFixture
) -> None:
    event = api_world.event
    Event.objects.filter(pk=event.pk).update(capacity=10)
    event.refresh_from_db()
    came = register(event, "came@example.org")
    door = register(event, "door@example.org")
    missed = register(event, "missed@example.org")
    silent = register(event, "silent@example.org")
    Registration.objects.filter(pk=came.pk).update(attended=True, attended_minutes=47)
    Registration.objects.filter(pk=missed.pk).update(attended=False)
    api_world.writer.post(f"/events/{event.pk}/registrations/{door.pk}/check-in")

    before_the_end = _attendance(api_world)
    time_machine.move_to(event.ends_at + timedelta(minutes=1))
    after_the_end = _attendance(api_world)

    assert before_the_end == {
        "came@example.org": ("attended", 47),
        "door@example.org": ("attended", None),
        "missed@example.org": ("absent", None),
        "silent@example.org": (None, None),
    }
    assert after_the_end["silent@example.org"] == ("absent", None)
    one = api_world.reader.get(f"/events/{event.pk}/registrations/{silent.pk}").json()
    assert one["attendance"] == "absent"


def test_the_stats_give_counts_and_the_attendance_rate(api_world: ApiWorld) -> None:
    event = api_world.event
    Event.objects.filter(pk=event.pk).update(capacity=3)
    event.refresh_from_db()
    people = [register(event, f"p{number}@example.org") for number in range(4)]
    Registration.objects.filter(pk=people[0].pk).update(attended=True, attended_minutes=30)
    Registration.objects.filter(pk=people[1].pk).update(attended=True, attended_minutes=50)
    api_world.writer.post(f"/events/{event.pk}/registrations/{people[2].pk}/check-in")

    stats = api_world.reader.get(f"/events/{event.pk}/stats").json()

    assert stats == {
        "pending": 0,
        "confirmed": 3,
        "waitlisted": 1,
        "cancelled": 0,
        "checked_in": 1,
        "attendance": {"confirmed": 3, "attended": 3, "rate": 100, "average_minutes": 40},
    }
    empty = api_world.stranger.get(f"/events/{api_world.other_event.pk}/stats").json()
    assert empty["attendance"] == {
        "confirmed": 0,
        "attended": 0,
        "rate": None,
        "average_minutes": None,
    }


# --- follow-ups ----------------------------------------------------------------------------


def _follow_ups_path(api_world: ApiWorld, audience: str = "") -> str:
    path = f"/events/{api_world.event.pk}/follow-ups"
    return f"{path}/{audience}" if audience else path


def test_follow_ups_are_written_read_replaced_and_removed(api_world: ApiWorld) -> None:
    register(api_world.event, "ana@example.org")
    body = {"minutes_after": 120, "subject": "The recording", "message": "Here it is: …"}

    created = api_world.writer.request("put", _follow_ups_path(api_world, "attended"), body)
    replaced = api_world.writer.request(
        "put", _follow_ups_path(api_world, "attended"), {**body, "minutes_after": 180}
    )
    absent = api_world.writer.request(
        "put",
        _follow_ups_path(api_world, "absent"),
        {"minutes_after": 0, "message": "Sorry we missed you"},
    )
    listed = api_world.reader.get(_follow_ups_path(api_world)).json()

    assert (created.status_code, replaced.status_code, absent.status_code) == (201, 200, 201)
    assert created.json()["id"] == replaced.json()["id"]
    assert [(item["audience"], item["minutes_after"], item["subject"]) for item in listed] == [
        ("attended", 180, "The recording"),
        ("absent", 0, ""),
    ]
    assert listed[0]["sent_count"] == 0
    rule = ReminderRule.objects.get(kind="after_end", audience="attended")
    # Scheduled for the registrant, 3 hours after the end, like the page's follow-ups.
    scheduled = ScheduledReminder.objects.get(rule=rule)
    assert scheduled.due_at == api_world.event.ends_at + timedelta(hours=3)
    entries = AuditLogEntry.objects.filter(action="follow_up.saved")
    assert entries.count() == 3
    assert entries.first().details["api_token"]["name"] == "CRM sync"  # type: ignore[union-attr]

    deleted = api_world.writer.delete(_follow_ups_path(api_world, "attended"))
    again = api_world.writer.delete(_follow_ups_path(api_world, "attended"))

    assert deleted.status_code == 204
    assert_problem(again, 404, "not_found")
    assert [
        item["audience"] for item in api_world.reader.get(_follow_ups_path(api_world)).json()
    ] == ["absent"]
    assert AuditLogEntry.objects.filter(action="follow_up.removed").count() == 1
    # The reminders before the event are another list, untouched.
    rules = api_world.reader.get(f"/events/{api_world.event.pk}/reminder-rules").json()
    assert all(rule["kind"] != "after_end" for rule in rules)


def test_follow_ups_are_checked_as_on_the_page(api_world: ApiWorld) -> None:
    path = _follow_ups_path(api_world, "attended")
    cases = [
        ({"minutes_after": 60, "message": "   "}, "message"),
        ({"minutes_after": 60, "message": "Hi", "subject": "Two\nlines"}, "subject"),
        ({"minutes_after": 60, "message": "Bell \x07 here"}, "message"),
        ({"minutes_after": 60 * 24 * 30 + 1, "message": "Hi"}, "minutes_after"),
        ({"minutes_after": -1, "message": "Hi"}, "minutes_after"),
        ({"minutes_after": "60", "message": "Hi"}, "minutes_after"),
        ({"minutes_after": 60, "message": "x" * 10_001}, "message"),
        ({"minutes_after": 60, "message": "Hi", "audience": "absent"}, "audience"),
    ]
    for body, field in cases:
        problem = assert_problem(
            api_world.writer.request("put", path, body), 422, "validation_failed"
        )
        assert field in [error["field"] for error in problem["errors"]], (body, problem)
    assert_problem(
        api_world.writer.request(
            "put", _follow_ups_path(api_world, "everyone"), {"minutes_after": 1, "message": "Hi"}
        ),
        422,
        "validation_failed",
    )
    assert not ReminderRule.objects.filter(kind="after_end").exists()
    assert_problem(
        api_world.reader.request("put", path, {"minutes_after": 1, "message": "Hi"}),
        403,
        "read_only_token",
    )


def test_a_follow_up_already_sent_is_not_sent_again_when_replaced(api_world: ApiWorld) -> None:
    ana = register(api_world.event, "ana@example.org")
    api_world.writer.request(
        "put", _follow_ups_path(api_world, "absent"), {"minutes_after": 0, "message": "Missed!"}
    )
    follow_up = ScheduledReminder.objects.filter(registration=ana, rule__kind="after_end")
    assert follow_up.update(status=ScheduledReminder.Status.SENT) == 1

    replaced = api_world.writer.request(
        "put", _follow_ups_path(api_world, "absent"), {"minutes_after": 30, "message": "Again"}
    )

    assert replaced.status_code == 200
    assert replaced.json()["sent_count"] == 1
    assert follow_up.get().status == ScheduledReminder.Status.SENT
