"""Follow-ups after the end: attendees and absentees each get their message, once.

Built on the reminder registry (kind "after the end"): the dispatcher writes the outbox
row, the sender (eager in tests, locmem backend) renders and sends it.
"""

from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone
from time_machine import TimeMachineFixture

from events.models import Event
from notifications.models import OutboxEmail, ReminderRule, ScheduledReminder
from notifications.reminders.dispatch import reminders_dispatch_due
from notifications.reminders.follow_ups import follow_up_save, follow_ups_for_event
from notifications.reminders.selectors import reminder_unsubscribe_url
from notifications.reminders.services import reminder_opt_out, reminder_rules_replace
from registrations.models import Registration
from registrations.services import registration_cancel
from tests.notifications.reminder_helpers import create_event, register

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2025, 3, 10, 18, 30, tzinfo=UTC)
END = START + timedelta(hours=1)
Audience = ReminderRule.Audience


@pytest.fixture(autouse=True)
def _registration_time(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def webinar(**fields: object) -> Event:
    return create_event(
        title="Voices & Visions", starts_at=START, ends_at=END, capacity=4, **fields
    )


def with_follow_ups(event: Event, minutes_after: int = 60) -> None:
    follow_up_save(
        event=event,
        audience=Audience.ATTENDED,
        minutes_after=minutes_after,
        subject="The recording",
        message="Thank you for coming! The recording: https://video.example.org/r/1",
    )
    follow_up_save(
        event=event,
        audience=Audience.ABSENT,
        minutes_after=minutes_after,
        subject="Sorry we missed you",
        message="Here is what you missed: https://video.example.org/r/1",
    )


def sent_at(
    time_machine: TimeMachineFixture, capture: object, moment: datetime
) -> list[EmailMultiAlternatives]:
    mail.outbox.clear()
    time_machine.move_to(moment, tick=False)
    with capture(execute=True):  # type: ignore[operator]
        reminders_dispatch_due()
    return list(mail.outbox)  # type: ignore[arg-type]


def test_attendees_and_absentees_get_their_own_message_once_in_their_language(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: object
) -> None:
    event = webinar()
    with_follow_ups(event)
    ana = register(event, "ana@example.org", name="Ana")
    bo = register(event, "bo@example.org", name="Bo")
    cy = register(event, "cy@example.org", name="Cy", language="fa")
    registration_cancel(registration=register(event, "gone@example.org", name="Gone"))
    register(event, "full@example.org", name="Full")  # the fourth and last seat
    waiting = register(event, "wait@example.org", name="Wait")
    assert waiting.status == Registration.Status.WAITLISTED
    # After the event: Ana was in the Zoom report, Bo checked in at the door.
    time_machine.move_to(END + timedelta(minutes=5), tick=False)
    Registration.objects.filter(pk=ana.pk).update(attended=True, attended_minutes=55)
    Registration.objects.filter(pk=bo.pk).update(checked_in_at=timezone.now())
    Registration.objects.filter(email="full@example.org").update(attended=False)

    capture = django_capture_on_commit_callbacks
    assert sent_at(time_machine, capture, END + timedelta(minutes=59)) == []
    messages = sent_at(time_machine, capture, END + timedelta(minutes=60))

    by_recipient = {message.to[0]: message for message in messages}
    assert sorted(by_recipient) == [
        "ana@example.org",
        "bo@example.org",
        "cy@example.org",
        "full@example.org",
    ]
    for attendee in ("ana@example.org", "bo@example.org"):
        assert by_recipient[attendee].subject == "The recording"
        assert "Thank you for coming!" in by_recipient[attendee].body
    assert by_recipient["full@example.org"].subject == "Sorry we missed you"
    absent = by_recipient["cy@example.org"]
    assert absent.subject == "Sorry we missed you"
    assert "Here is what you missed" in absent.body
    assert 'lang="fa" dir="rtl"' in absent.alternatives[0][0]
    unsubscribe = reminder_unsubscribe_url(cy)
    assert absent.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert unsubscribe in absent.body
    # The other audience's row is skipped, never sent later.
    assert ScheduledReminder.objects.filter(status="sent").count() == 4
    assert sent_at(time_machine, capture, END + timedelta(hours=5)) == []
    assert OutboxEmail.objects.filter(kind="follow_up").count() == 4


def test_attendance_recorded_after_scheduling_decides_at_send_time(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: object
) -> None:
    event = webinar()
    ana = register(event, "ana@example.org")
    with_follow_ups(event)  # added after Ana registered: her rows are scheduled then
    time_machine.move_to(END + timedelta(minutes=30), tick=False)
    Registration.objects.filter(pk=ana.pk).update(attended=True)

    [message] = sent_at(time_machine, django_capture_on_commit_callbacks, END + timedelta(hours=1))

    assert message.subject == "The recording"


def test_no_follow_up_after_unsubscribing_or_for_a_cancelled_event(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: object
) -> None:
    event = webinar()
    with_follow_ups(event)
    reminder_opt_out(registration=register(event, "ana@example.org"))

    assert sent_at(time_machine, django_capture_on_commit_callbacks, END + timedelta(hours=1)) == []


def test_editing_a_sent_follow_up_never_sends_it_again(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: object
) -> None:
    event = webinar()
    with_follow_ups(event)
    register(event, "ana@example.org")
    capture = django_capture_on_commit_callbacks
    assert len(sent_at(time_machine, capture, END + timedelta(hours=1))) == 1

    follow_up_save(
        event=event, audience=Audience.ABSENT, minutes_after=180, subject="Again?", message="x"
    )

    assert sent_at(time_machine, capture, END + timedelta(hours=3)) == []


def test_quiet_hours_move_a_follow_up_later_to_the_end_of_the_night(
    time_machine: TimeMachineFixture,
) -> None:
    event = webinar(
        quiet_hours_enabled=True, quiet_hours_start=time(22, 0), quiet_hours_end=time(8, 0)
    )
    with_follow_ups(event, minutes_after=60)
    tehran = register(event, "ana@example.org", time_zone="Asia/Tehran")
    los_angeles = register(event, "bo@example.org", time_zone="America/Los_Angeles")

    due = {
        row.registration_id: row.due_at
        for row in ScheduledReminder.objects.filter(rule__audience=Audience.ABSENT)
    }
    # END + 1 h is 20:30 UTC: 00:00 in Tehran (quiet) → 08:00 Tehran time; 13:30 in LA.
    assert due[tehran.pk] == datetime(2025, 3, 11, 4, 30, tzinfo=UTC)
    assert due[los_angeles.pk] == END + timedelta(hours=1)


def test_the_reminder_form_leaves_follow_ups_alone_and_one_per_audience_is_enforced() -> None:
    event = webinar()
    with_follow_ups(event)

    reminder_rules_replace(event=event, rules=[])

    assert all(rule is not None for rule in follow_ups_for_event(event).values())
    with pytest.raises(IntegrityError):
        ReminderRule.objects.create(
            event=event, kind=ReminderRule.Kind.AFTER_END, audience=Audience.ABSENT, minutes_after=1
        )


def test_the_demo_webinar_sends_the_recording_it_promises() -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # a second run changes nothing

    webinar = Event.objects.get(slug="sunday-webinar-organizing-across-borders")
    assert "Recording sent" in webinar.description
    follow_ups = follow_ups_for_event(webinar)
    assert all(
        rule is not None and "video.example.org" in rule.message for rule in follow_ups.values()
    )


def test_a_follow_up_written_after_the_event_still_goes_out_within_three_days(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: object
) -> None:
    event = webinar()
    ana = register(event, "ana@example.org")
    later = webinar(slug="later")
    register(later, "bo@example.org")
    capture = django_capture_on_commit_callbacks
    # The report is uploaded and the follow-ups written three hours after the end; their
    # "1 hour after the end" has passed, yet they go at the next dispatch.
    time_machine.move_to(END + timedelta(hours=3), tick=False)
    Registration.objects.filter(pk=ana.pk).update(attended=True)
    with_follow_ups(event)

    [message] = sent_at(time_machine, capture, END + timedelta(hours=3, minutes=1))
    assert message.subject == "The recording"

    # Written four days after the end: too late, nothing goes.
    time_machine.move_to(END + timedelta(days=4), tick=False)
    with_follow_ups(later)
    assert sent_at(time_machine, capture, END + timedelta(days=4, minutes=1)) == []
