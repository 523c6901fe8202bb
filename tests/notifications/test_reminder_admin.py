"""Organizers edit reminder rules inline on the event's admin page; the schedule follows."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from time_machine import TimeMachineFixture

from events.admin_access import organizer_admin_access_grant, organizer_group_ensure
from events.models import Event
from notifications.models import ReminderRule, ScheduledReminder
from notifications.reminders.follow_ups import follow_up_save
from tests.events.admin_formdata import event_form_data
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.reminder_helpers import create_event, register

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2025, 3, 10, 18, 30, tzinfo=UTC)


@pytest.fixture
def admin_client(time_machine: TimeMachineFixture) -> Client:
    time_machine.move_to(NOW, tick=False)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change_form(event: Event, rules: list[dict[str, str]]) -> dict[str, object]:
    """The event's change form as the browser posts it, with ``rules`` as the reminder rows."""
    data = event_form_data(event, joining_instructions=event.joining_instructions)
    existing = list(event.reminder_rules.order_by("id"))
    data["reminder_rules-TOTAL_FORMS"] = str(len(rules))
    data["reminder_rules-INITIAL_FORMS"] = str(len(existing))
    for index, rule in enumerate(rules):
        row = {
            "event": str(event.pk),
            "kind": "before_start",
            "minutes_before": "",
            "local_time": "",
        }
        if index < len(existing):
            row["id"] = str(existing[index].pk)
        row.update(rule)
        data.update({f"reminder_rules-{index}-{key}": value for key, value in row.items()})
    return data


def post(client: Client, event: Event, rules: list[dict[str, str]]) -> str:
    response = client.post(f"/admin/events/event/{event.pk}/change/", change_form(event, rules))
    return "" if response.status_code == 302 else response.content.decode()


def test_the_event_page_lists_its_reminder_rules(admin_client: Client) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    page = admin_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "Reminders (new events start with one day and one hour before the start)" in page
    assert 'name="reminder_rules-0-minutes_before" value="1440"' in page


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"minutes_before": "0"}, "Choose between 1 minute and 86400 minutes (60 days)"),
        ({"minutes_before": ""}, "Say how many minutes before the start"),
        ({"kind": "day_before_at"}, "Give the time of day, in each registrant"),
    ],
)
def test_invalid_rules_are_refused_with_a_clear_message(
    admin_client: Client, rule: dict[str, str], message: str
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    # The second row (60 minutes before) is edited; a blank extra row would simply be ignored.
    page = post(admin_client, event, [{"minutes_before": "1440"}, {"minutes_before": "60", **rule}])
    assert message in page
    assert event.reminder_rules.count() == 2


def test_the_same_rule_twice_is_refused(admin_client: Client) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    page = post(admin_client, event, [{"minutes_before": "1440"}, {"minutes_before": "1440"}])
    assert "This event already has that reminder." in page


def test_adding_changing_and_deleting_rules_reschedules_the_registrants(
    admin_client: Client,
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org", time_zone="Asia/Tehran")

    page = post(
        admin_client,
        event,
        [
            {"minutes_before": "1440", "DELETE": "on"},
            {"minutes_before": "30"},
            {"kind": "day_before_at", "local_time": "09:00"},
        ],
    )

    assert page == ""
    assert sorted(str(rule) for rule in ReminderRule.objects.filter(event=event)) == [
        "30 minutes before",
        "the day before at 09:00",
    ]
    due = dict(
        ScheduledReminder.objects.filter(registration=registration).values_list(
            "rule__minutes_before", "due_at"
        )
    )
    assert due == {
        30: START - timedelta(minutes=30),
        None: datetime(2025, 3, 9, 5, 30, tzinfo=UTC),  # 09:00 in Tehran
    }


def test_an_organizer_with_admin_access_edits_the_rules_of_their_own_event(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(NOW, tick=False)
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    organizer = UserFactory(email="org@example.org")
    MembershipFactory(user=organizer, organization=event.organization)
    organizer_admin_access_grant(user=organizer)
    client = Client()
    client.force_login(organizer)

    page = client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "Reminders (new events start with one day and one hour before the start)" in page

    assert post(client, event, [{"minutes_before": "1440"}, {"minutes_before": "30"}]) == ""
    assert sorted(rule.minutes_before for rule in event.reminder_rules.all()) == [30, 1440]


def test_migrate_gives_an_existing_organizers_group_the_rule_permissions() -> None:
    group = organizer_group_ensure()
    group.permissions.remove(*group.permissions.filter(codename__endswith="_reminderrule"))

    call_command("migrate", verbosity=0)

    assert sorted(
        group.permissions.filter(codename__endswith="_reminderrule").values_list(
            "codename", flat=True
        )
    ) == ["add_reminderrule", "change_reminderrule", "delete_reminderrule", "view_reminderrule"]


def test_an_event_with_follow_ups_saves_in_the_admin_and_keeps_them(admin_client: Client) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    follow_up_save(
        event=event, audience="attended", minutes_after=60, subject="Thanks", message="Recording"
    )
    page = admin_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "after_end" not in page  # neither a row nor a choice: it has its own page

    existing = list(event.reminder_rules.exclude(kind="after_end").order_by("id"))
    data = change_form(event, [{"minutes_before": "1440"}, {"minutes_before": "60"}])
    data["reminder_rules-0-id"], data["reminder_rules-1-id"] = (str(r.pk) for r in existing)
    response = admin_client.post(f"/admin/events/event/{event.pk}/change/", data)

    assert response.status_code == 302
    assert event.reminder_rules.filter(kind="after_end").count() == 1
