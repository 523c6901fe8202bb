import json
import uuid

import pytest
from django.urls import reverse

from notifications.models import OutboxEmail, ReminderOptOut, ReminderRule, ScheduledReminder
from registrations.models import Registration
from registrations.services import registration_create
from tests.factories import OutboxEmailFactory, QuestionFactory, RegistrationFactory
from tests.workspace.conftest import Workspace, client_for
from workspace.models import AuditLogEntry
from workspace.services.messages import message_send
from workspace.services.privacy import registrant_erase

pytestmark = pytest.mark.django_db

FARSI_NAME = "مریم رضایی"


def erase_url(registration: Registration) -> str:
    return reverse(
        "workspace:registration_erase",
        kwargs={"event_id": registration.event_id, "registration_id": registration.pk},
    )


def export_url(registration: Registration) -> str:
    return reverse(
        "workspace:registration_export",
        kwargs={"event_id": registration.event_id, "registration_id": registration.pk},
    )


# --- erasing -------------------------------------------------------------------------------


def test_erasing_anonymizes_the_registration_and_keeps_what_counts(workspace: Workspace) -> None:
    question = QuestionFactory(event=workspace.event, label="Dietary needs?")
    registration = RegistrationFactory(
        event=workspace.event,
        name=FARSI_NAME,
        email="Maryam@Example.ir",
        time_zone="Asia/Tehran",
        answers={str(question.pk): "vegetarian"},
    )
    public_id = registration.public_id

    erased = registrant_erase(registration=registration, actor=workspace.organizer)

    erased.refresh_from_db()
    assert erased.name == "Erased registrant"
    assert erased.email == erased.email_normalized == f"erased-{erased.pk}@erased.invalid"
    assert erased.answers == {}
    assert erased.public_id != public_id
    assert erased.erased_at is not None
    assert erased.status == "confirmed"
    assert erased.created_at == registration.created_at
    assert erased.confirmed_at == registration.confirmed_at
    assert erased.time_zone == "UTC"


def test_erasing_scrubs_the_persons_emails_and_stops_unsent_ones(workspace: Workspace) -> None:
    registration = RegistrationFactory(event=workspace.event, email="maryam@example.ir")
    message = message_send(
        event=workspace.event,
        sender=workspace.owner,
        subject="Hello",
        body="Dear all",
        audience="confirmed",
        send_key=uuid.uuid4(),
    ).message
    queued = OutboxEmail.objects.get(kind="message")
    sent = OutboxEmailFactory(
        registration=registration,
        subject="Your seat for Event 1",
        status="sent",
        context={"changes": {"starts_at": "..."}, "name": FARSI_NAME},
    )
    failed = OutboxEmailFactory(
        registration=registration,
        kind="reminder",
        status="failed",
        last_error="550 5.1.1 <MARYAM@example.ir>: user unknown",
    )
    untouched = OutboxEmailFactory(
        registration=RegistrationFactory(event=workspace.event), subject="Someone else"
    )

    erased = registrant_erase(registration=registration, actor=workspace.owner)

    placeholder = erased.email
    queued.refresh_from_db()
    sent.refresh_from_db()
    failed.refresh_from_db()
    assert {queued.recipient, sent.recipient, failed.recipient} == {placeholder}
    assert queued.status == "failed"
    assert queued.last_error == "Not sent: the registrant's data was erased."
    assert queued.context == {"message_id": message.pk}  # the delivery report still counts it
    assert sent.status == "sent"
    assert sent.subject == ""
    assert sent.context == {}
    assert failed.last_error == f"550 5.1.1 <{placeholder}>: user unknown"
    untouched.refresh_from_db()
    assert untouched.subject == "Someone else"


def test_erasing_stops_reminders(workspace: Workspace) -> None:
    registration = RegistrationFactory(event=workspace.event)
    rule = ReminderRule.objects.create(event=workspace.event, minutes_before=60)
    reminder = ScheduledReminder.objects.create(
        registration=registration, rule=rule, due_at=workspace.event.starts_at
    )
    registrant_erase(registration=registration, actor=workspace.owner)
    reminder.refresh_from_db()
    assert reminder.status == "skipped"
    assert ReminderOptOut.objects.filter(registration=registration).exists()


def test_erasing_is_audited_without_personal_data(workspace: Workspace) -> None:
    registration = RegistrationFactory(
        event=workspace.event, name=FARSI_NAME, email="maryam@example.ir"
    )
    registrant_erase(registration=registration, actor=workspace.organizer)
    entry = AuditLogEntry.objects.get()
    assert entry.action == "registration.erased"
    assert entry.details == {"registration_id": registration.pk}
    assert entry.event == workspace.event
    assert entry.actor == workspace.organizer


def test_erasing_twice_changes_nothing_more(workspace: Workspace) -> None:
    registration = RegistrationFactory(event=workspace.event)
    first = registrant_erase(registration=registration, actor=workspace.owner)
    second = registrant_erase(registration=registration, actor=workspace.owner)
    assert second.erased_at == first.erased_at
    assert second.public_id == first.public_id
    assert AuditLogEntry.objects.count() == 1


def test_after_erasure_the_person_can_register_again_and_others_can_be_erased(
    workspace: Workspace,
) -> None:
    registration = registration_create(
        event=workspace.event, name="Ana", email="ana@example.org", time_zone="UTC"
    ).registration
    other = RegistrationFactory(event=workspace.event)
    registrant_erase(registration=registration, actor=workspace.owner)
    registrant_erase(registration=other, actor=workspace.owner)
    again = registration_create(
        event=workspace.event, name="Ana", email="ana@example.org", time_zone="UTC"
    )
    assert again.created
    workspace.event.refresh_from_db()
    assert workspace.event.seats_taken == 2  # the erased confirmed seat stays taken


def test_the_erase_page_asks_for_confirmation_first(workspace: Workspace) -> None:
    registration = RegistrationFactory(event=workspace.event, name=FARSI_NAME)
    client = client_for(workspace.organizer)

    page = client.get(erase_url(registration))
    assert page.status_code == 200
    assert FARSI_NAME in page.content.decode()

    unconfirmed = client.post(erase_url(registration), {})
    assert unconfirmed.status_code == 400
    assert unconfirmed.context["form"].errors["confirm"]
    registration.refresh_from_db()
    assert registration.name == FARSI_NAME

    confirmed = client.post(erase_url(registration), {"confirm": "on"}, follow=True)
    registration.refresh_from_db()
    assert registration.is_erased
    body = confirmed.content.decode()
    assert "personal data has been erased" in body
    assert FARSI_NAME not in body


def test_the_erase_page_says_what_erasing_does_to_the_time_zone(workspace: Workspace) -> None:
    registration = RegistrationFactory(event=workspace.event, time_zone="Asia/Tehran")
    page = client_for(workspace.organizer).get(erase_url(registration))
    items = [" ".join(item.split()) for item in page.content.decode().split("<li>")[1:]]
    erased_items = [item for item in items if item.startswith("The name becomes")]
    kept_items = [item for item in items if item.startswith("Status, ")]
    assert len(erased_items) == len(kept_items) == 1
    # What the page promises is what registration_erase does.
    assert "the time zone becomes UTC" in erased_items[0]
    assert "time zone" not in kept_items[0]
    assert "language" in kept_items[0]

    registrant_erase(registration=registration, actor=workspace.organizer)
    registration.refresh_from_db()
    assert registration.time_zone == "UTC"


def test_a_registration_of_another_event_cannot_be_erased_through_this_one(
    workspace: Workspace,
) -> None:
    foreign = RegistrationFactory(event=workspace.other_event)
    url = reverse(
        "workspace:registration_erase",
        kwargs={"event_id": workspace.event.pk, "registration_id": foreign.pk},
    )
    response = client_for(workspace.owner).post(url, {"confirm": "on"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert not foreign.is_erased


# --- exporting -----------------------------------------------------------------------------


def test_the_export_holds_the_registration_answers_and_emails(workspace: Workspace) -> None:
    question = QuestionFactory(event=workspace.event, label="چه کتابی می‌خوانید؟")
    registration = RegistrationFactory(
        event=workspace.event,
        name=FARSI_NAME,
        email="maryam@example.ir",
        answers={str(question.pk): "بوف کور", "999": "old answer"},
    )
    OutboxEmailFactory(registration=registration, kind="confirmation", status="sent")
    OutboxEmailFactory(registration=registration, kind="reminder", status="failed")

    response = client_for(workspace.organizer).get(export_url(registration))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="registration-{registration.pk}.json"'
    )
    assert FARSI_NAME.encode() in response.content  # readable, not \\u-escaped
    data = json.loads(response.content)
    assert data["registration"]["name"] == FARSI_NAME
    assert data["registration"]["email"] == "maryam@example.ir"
    assert data["registration"]["status"] == "confirmed"
    assert data["registration"]["created_at"].endswith("+00:00")
    assert data["answers"] == [
        {"question": "چه کتابی می‌خوانید؟", "answer": "بوف کور"},
        {"question": "Question 999 (no longer asked)", "answer": "old answer"},
    ]
    assert [(email["kind"], email["status"]) for email in data["emails"]] == [
        ("confirmation", "sent"),
        ("reminder", "failed"),
    ]
    assert data["event"]["title"] == workspace.event.title


def test_exporting_is_audited_without_personal_data(workspace: Workspace) -> None:
    registration = RegistrationFactory(event=workspace.event)
    client_for(workspace.owner).get(export_url(registration))
    entry = AuditLogEntry.objects.get()
    assert entry.action == "registration.exported"
    assert entry.details == {"registration_id": registration.pk}


def test_a_registration_of_another_event_cannot_be_exported_through_this_one(
    workspace: Workspace,
) -> None:
    foreign = RegistrationFactory(event=workspace.other_event)
    url = reverse(
        "workspace:registration_export",
        kwargs={"event_id": workspace.event.pk, "registration_id": foreign.pk},
    )
    assert client_for(workspace.owner).get(url).status_code == 404
    assert not AuditLogEntry.objects.exists()
