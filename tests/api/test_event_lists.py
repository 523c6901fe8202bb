"""An event's questions and reminder rules over the API."""

import pytest

from notifications.models import ReminderRule, ScheduledReminder
from tests.api.conftest import ApiWorld, assert_problem
from tests.factories import register
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def test_questions_are_added_listed_answered_and_removed(api_world: ApiWorld) -> None:
    path = f"/events/{api_world.event.pk}/questions"
    created = api_world.writer.post(
        path, {"label": "Which session?", "kind": "single_choice", "choices": ["Day", "Night"]}
    )
    assert created.status_code == 201, created.content
    question = created.json()
    assert question["choices"] == ["Day", "Night"]
    assert [item["label"] for item in api_world.reader.get(path).json()] == ["Which session?"]

    response = api_world.writer.post(
        f"/events/{api_world.event.pk}/registrations",
        {
            "name": "Dara",
            "email": "dara@example.org",
            "time_zone": "UTC",
            "answers": {str(question["id"]): "Night"},
        },
    )
    assert response.json()["answers"] == {str(question["id"]): "Night"}

    assert api_world.writer.delete(f"{path}/{question['id']}").status_code == 204
    assert api_world.reader.get(path).json() == []
    assert_problem(api_world.writer.delete(f"{path}/{question['id']}"), 404, "not_found")
    actions = list(AuditLogEntry.objects.values_list("action", flat=True))
    assert "question.added" in actions and "question.deleted" in actions


def test_a_choice_question_without_choices_or_a_bad_position_is_refused(
    api_world: ApiWorld,
) -> None:
    path = f"/events/{api_world.event.pk}/questions"
    body = assert_problem(
        api_world.writer.post(path, {"label": "Pick", "kind": "single_choice", "choices": []}),
        422,
        "validation_failed",
    )
    assert body["errors"][0]["field"] == "choices"
    body = assert_problem(
        api_world.writer.post(path, {"label": "Pick", "kind": "short_text", "position": -1}),
        422,
        "validation_failed",
    )
    assert body["errors"][0]["field"] == "position"


def test_reminder_rules_are_added_rescheduled_and_removed(api_world: ApiWorld) -> None:
    registration = register(api_world.event, "guest@example.org")
    path = f"/events/{api_world.event.pk}/reminder-rules"

    created = api_world.writer.post(path, {"kind": "day_before_at", "local_time": "09:00"})
    assert created.status_code == 201, created.content
    rule = created.json()
    assert rule["local_time"] == "09:00:00"
    assert ScheduledReminder.objects.filter(registration=registration, rule_id=rule["id"]).exists()
    again = api_world.writer.post(path, {"kind": "day_before_at", "local_time": "09:00"})
    assert again.json()["id"] == rule["id"]
    assert [item["id"] for item in api_world.reader.get(path).json()] == [rule["id"]]

    assert api_world.writer.delete(f"{path}/{rule['id']}").status_code == 204
    assert not ReminderRule.objects.filter(pk=rule["id"]).exists()


def test_an_incomplete_reminder_rule_names_the_missing_field(api_world: ApiWorld) -> None:
    path = f"/events/{api_world.event.pk}/reminder-rules"
    body = assert_problem(
        api_world.writer.post(path, {"kind": "before_start"}), 422, "validation_failed"
    )
    assert body["errors"][0]["field"] == "minutes_before"
    body = assert_problem(
        api_world.writer.post(path, {"kind": "day_before_at", "local_time": "09:00+02:00"}),
        422,
        "validation_failed",
    )
    assert body["errors"][0]["field"] == "local_time"


def test_follow_ups_are_left_out_of_the_reminder_rules(api_world: ApiWorld) -> None:
    follow_up = ReminderRule.objects.create(
        event=api_world.event,
        kind=ReminderRule.Kind.AFTER_END,
        minutes_after=60,
        audience=ReminderRule.Audience.ATTENDED,
        subject="Thanks",
        message="The recording",
    )
    path = f"/events/{api_world.event.pk}/reminder-rules"

    assert api_world.reader.get(path).json() == []
    assert_problem(api_world.writer.delete(f"{path}/{follow_up.pk}"), 404, "not_found")
    assert ReminderRule.objects.filter(pk=follow_up.pk).exists()
