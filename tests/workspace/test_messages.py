import uuid

import pytest
from django.urls import reverse

from notifications.models import OutboxEmail
from registrations.models import Registration
from tests.factories import OutboxEmailFactory, RegistrationFactory
from tests.workspace.conftest import Workspace, client_for
from workspace.models import AuditLogEntry, Message
from workspace.services.messages import MessageError, message_send

pytestmark = pytest.mark.django_db

FARSI_SUBJECT = "یادآوری: جلسه‌ی فردا"
FARSI_BODY = "سلام!\nفردا ساعت ۱۸ می‌بینیمتان.\n— کتاب‌فروشی شهرزاد"  # noqa: RUF001 - Farsi on purpose


def send(workspace: Workspace, **overrides: object) -> Message:
    fields: dict[str, object] = {
        "event": workspace.event,
        "sender": workspace.organizer,
        "subject": "Doors open at 18:00",
        "body": "See you soon.",
        "audience": Message.Audience.CONFIRMED,
        "search": "",
        "send_key": uuid.uuid4(),
        **overrides,
    }
    return message_send(**fields).message  # type: ignore[arg-type]


def message_form(**overrides: str) -> dict[str, str]:
    return {
        "audience": "confirmed",
        "search": "",
        "subject": "Doors open at 18:00",
        "body": "See you soon.\r\nBring a friend.",
        **overrides,
    }


# --- the service ---------------------------------------------------------------------------


def test_a_message_queues_one_email_per_confirmed_registrant_with_its_text(
    workspace: Workspace,
) -> None:
    confirmed = RegistrationFactory.create_batch(3, event=workspace.event)
    RegistrationFactory(event=workspace.event, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=workspace.event, status=Registration.Status.CANCELLED)
    RegistrationFactory(event=workspace.other_event)

    message = send(workspace)

    emails = OutboxEmail.objects.filter(kind="message")
    assert sorted(email.recipient for email in emails) == sorted(r.email for r in confirmed)
    assert {email.status for email in emails} == {"queued"}
    assert all(
        email.context
        == {"subject": "Doors open at 18:00", "body": "See you soon.", "message_id": message.pk}
        for email in emails
    )
    assert message.recipient_count == 3
    assert message.sender == workspace.organizer


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("confirmed", {"confirmed"}),
        ("waitlisted", {"waitlisted"}),
        ("pending", {"pending"}),
        ("active", {"confirmed", "waitlisted", "pending"}),
    ],
)
def test_the_audience_picks_registrants_by_status_and_never_cancelled_ones(
    workspace: Workspace, audience: str, expected: set[str]
) -> None:
    for status in Registration.Status.values:
        RegistrationFactory(event=workspace.event, status=status)
    send(workspace, audience=audience)
    statuses = set(
        OutboxEmail.objects.filter(kind="message").values_list("registration__status", flat=True)
    )
    assert statuses == expected


def test_search_narrows_the_recipients_like_the_attendees_page(workspace: Workspace) -> None:
    RegistrationFactory(event=workspace.event, name="Šárka Dvořák")
    RegistrationFactory(event=workspace.event, name="مریم رضایی", email="maryam@example.ir")
    RegistrationFactory(event=workspace.event, name="Bob", email="bob@example.org")
    send(workspace, search="example.ir")
    assert list(OutboxEmail.objects.values_list("recipient", flat=True)) == ["maryam@example.ir"]


def test_erased_registrants_get_no_message(workspace: Workspace) -> None:
    from django.utils import timezone

    RegistrationFactory(event=workspace.event, email="kept@example.org")
    RegistrationFactory(event=workspace.event, erased_at=timezone.now())
    send(workspace)
    assert list(OutboxEmail.objects.values_list("recipient", flat=True)) == ["kept@example.org"]


def test_a_message_to_nobody_is_refused_and_leaves_nothing_behind(workspace: Workspace) -> None:
    RegistrationFactory(event=workspace.event, status=Registration.Status.WAITLISTED)
    with pytest.raises(MessageError):
        send(workspace, audience=Message.Audience.CONFIRMED)
    assert not Message.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_the_same_send_key_twice_sends_once(workspace: Workspace) -> None:
    RegistrationFactory.create_batch(2, event=workspace.event)
    key = uuid.uuid4()
    first = message_send(
        event=workspace.event,
        sender=workspace.owner,
        subject="Hello",
        body="Once",
        audience="confirmed",
        send_key=key,
    )
    again = message_send(
        event=workspace.event,
        sender=workspace.owner,
        subject="Hello",
        body="Once",
        audience="confirmed",
        send_key=key,
    )
    assert first.created and not again.created
    assert again.message == first.message
    assert Message.objects.count() == 1
    assert OutboxEmail.objects.count() == 2


def test_a_send_key_used_for_another_event_is_refused(workspace: Workspace) -> None:
    RegistrationFactory(event=workspace.event)
    RegistrationFactory(event=workspace.other_event)
    key = uuid.uuid4()
    send(workspace, send_key=key)
    with pytest.raises(MessageError):
        send(workspace, event=workspace.other_event, send_key=key)
    assert OutboxEmail.objects.count() == 1


def test_sending_is_audited_with_the_count(workspace: Workspace) -> None:
    RegistrationFactory.create_batch(2, event=workspace.event)
    message = send(workspace)
    entry = AuditLogEntry.objects.get()
    assert entry.action == "message.sent"
    assert entry.actor == workspace.organizer
    assert entry.event == workspace.event
    assert entry.details["message_id"] == message.pk
    assert entry.details["recipients"] == 2


def test_emails_are_handed_to_the_worker_in_batches_only_after_commit(
    workspace: Workspace,
    django_capture_on_commit_callbacks: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from notifications.tasks import send_outbox_batch

    RegistrationFactory.create_batch(205, event=workspace.event)
    batches: list[list[int]] = []
    monkeypatch.setattr(send_outbox_batch, "delay", batches.append)
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        send(workspace)
    assert batches == []
    for callback in callbacks:
        callback()
    assert [len(batch) for batch in batches] == [100, 100, 5]
    assert sorted(id_ for batch in batches for id_ in batch) == sorted(
        OutboxEmail.objects.values_list("pk", flat=True)
    )


def test_each_email_uses_the_registrants_own_language(workspace: Workspace) -> None:
    RegistrationFactory(event=workspace.event, language="fa", email="fa@example.org")
    RegistrationFactory(event=workspace.event, language="en", email="en@example.org")
    send(workspace)
    assert dict(OutboxEmail.objects.values_list("recipient", "language")) == {
        "fa@example.org": "fa",
        "en@example.org": "en",
    }


# --- the pages -----------------------------------------------------------------------------


def test_the_preview_shows_the_message_and_how_many_will_get_it(workspace: Workspace) -> None:
    RegistrationFactory.create_batch(3, event=workspace.event)
    client = client_for(workspace.organizer)
    response = client.post(
        reverse("workspace:message_preview", kwargs={"event_id": workspace.event.pk}),
        message_form(subject=FARSI_SUBJECT, body=FARSI_BODY),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Send to 3 people" in page
    assert FARSI_SUBJECT in page
    assert "فردا ساعت ۱۸ می‌بینیمتان." in page
    assert 'name="send_key"' in page
    assert not OutboxEmail.objects.exists()


def test_previewing_then_sending_queues_the_emails_and_shows_the_report(
    workspace: Workspace,
) -> None:
    RegistrationFactory(event=workspace.event, name="Dariush", email="dariush@example.org")
    client = client_for(workspace.organizer)
    preview = client.post(
        reverse("workspace:message_preview", kwargs={"event_id": workspace.event.pk}),
        message_form(),
    )
    send_form = preview.context["send_form"]
    data = {name: send_form[name].value() for name in send_form.fields}

    response = client.post(
        reverse("workspace:message_send", kwargs={"event_id": workspace.event.pk}),
        data,
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your message is on its way to 1 person." in page
    assert "dariush@example.org" in page
    email = OutboxEmail.objects.get()
    # Browsers send CRLF; the registrant reads plain newlines.
    assert email.context["body"] == "See you soon.\nBring a friend."


def test_a_double_submitted_send_form_sends_once(workspace: Workspace) -> None:
    RegistrationFactory.create_batch(2, event=workspace.event)
    client = client_for(workspace.organizer)
    data = {**message_form(), "send_key": str(uuid.uuid4())}
    url = reverse("workspace:message_send", kwargs={"event_id": workspace.event.pk})

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert first.status_code == 302
    assert "already been sent; it was not sent again" in second.content.decode()
    assert Message.objects.count() == 1
    assert OutboxEmail.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"subject": ""}, "subject", "This field is required."),
        ({"subject": "x" * 201}, "subject", "at most 200 characters"),
        ({"subject": "Two\nlines"}, "subject", "Please write this on one line."),
        ({"subject": "Invoice \u202efdp.exe"}, "subject", "Please write this on one line"),
        ({"body": "bell \x07 here"}, "body", "Please remove invisible control characters."),
        ({"body": "nul \x00 here"}, "body", "Null characters are not allowed."),
        ({"body": "x" * 10_001}, "body", "at most 10000 characters"),
        ({"audience": "everyone-ever"}, "audience", "Select a valid choice."),
    ],
)
def test_bad_message_input_is_answered_next_to_the_field(
    workspace: Workspace, overrides: dict[str, str], field: str, error: str
) -> None:
    RegistrationFactory(event=workspace.event)
    client = client_for(workspace.organizer)
    response = client.post(
        reverse("workspace:message_preview", kwargs={"event_id": workspace.event.pk}),
        message_form(**overrides),
    )
    assert response.status_code == 400
    assert any(error in message for message in response.context["form"].errors[field])


def test_a_send_without_its_one_time_key_asks_to_preview_again(workspace: Workspace) -> None:
    RegistrationFactory(event=workspace.event)
    client = client_for(workspace.organizer)
    response = client.post(
        reverse("workspace:message_send", kwargs={"event_id": workspace.event.pk}),
        {**message_form(), "send_key": "not-a-uuid"},
    )
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()
    assert not OutboxEmail.objects.exists()


def test_sending_to_nobody_shows_why_instead_of_failing(workspace: Workspace) -> None:
    client = client_for(workspace.organizer)
    response = client.post(
        reverse("workspace:message_send", kwargs={"event_id": workspace.event.pk}),
        {**message_form(), "send_key": str(uuid.uuid4())},
    )
    assert response.status_code == 409
    assert "No registrant matches; nothing was sent." in response.content.decode()


def test_the_preview_with_nobody_to_send_to_offers_no_send_button(workspace: Workspace) -> None:
    client = client_for(workspace.organizer)
    response = client.post(
        reverse("workspace:message_preview", kwargs={"event_id": workspace.event.pk}),
        message_form(),
    )
    assert response.status_code == 200
    assert "there is no one to send this to" in response.content.decode()
    assert 'name="send_key"' not in response.content.decode()


def test_the_report_shows_each_recipients_status_and_the_servers_answer_for_failures(
    workspace: Workspace,
) -> None:
    RegistrationFactory(event=workspace.event, email="ok@example.org")
    RegistrationFactory(event=workspace.event, email="typo@exmaple.org", name="Nasrin")
    message = send(workspace)
    OutboxEmail.objects.filter(recipient="ok@example.org").update(status="sent")
    OutboxEmail.objects.filter(recipient="typo@exmaple.org").update(
        status="failed", attempts=1, last_error="550 5.1.1 <typo@exmaple.org>: Recipient unknown"
    )
    response = client_for(workspace.owner).get(
        reverse(
            "workspace:message_detail",
            kwargs={"event_id": workspace.event.pk, "message_id": message.pk},
        )
    )
    assert response.status_code == 200
    assert response.context["counts"] == {
        "queued": 0,
        "sending": 0,
        "sent": 1,
        "failed": 1,
        "withdrawn": 0,
    }
    page = response.content.decode()
    assert "550 5.1.1 &lt;typo@exmaple.org&gt;: Recipient unknown" in page
    assert "Could not be delivered" in page
    assert "Nasrin" in page


def test_a_message_of_another_event_is_not_found(workspace: Workspace) -> None:
    RegistrationFactory(event=workspace.other_event)
    foreign = send(workspace, event=workspace.other_event, sender=workspace.other_member)
    response = client_for(workspace.organizer).get(
        reverse(
            "workspace:message_detail",
            kwargs={"event_id": workspace.event.pk, "message_id": foreign.pk},
        )
    )
    assert response.status_code == 404


def test_the_failed_emails_page_lists_every_kind_for_this_event_only(
    workspace: Workspace,
) -> None:
    mine = RegistrationFactory(event=workspace.event, email="bounce@example.org")
    OutboxEmailFactory(
        registration=mine, kind="confirmation", status="failed", last_error="550 No such user"
    )
    OutboxEmailFactory(registration=mine, kind="reminder", status="failed", last_error="552 Full")
    OutboxEmailFactory(registration=mine, kind="reminder", status="sent")
    OutboxEmailFactory(
        registration=RegistrationFactory(event=workspace.other_event, email="theirs@example.org"),
        status="failed",
        last_error="550 theirs",
    )
    response = client_for(workspace.organizer).get(
        reverse("workspace:failed_emails", kwargs={"event_id": workspace.event.pk})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "550 No such user" in page
    assert "552 Full" in page
    assert "Confirmation" in page and "Reminder" in page
    assert "theirs@example.org" not in page
    assert len(response.context["page"].object_list) == 2


def test_the_messages_page_lists_sent_messages_and_prefills_a_filter(
    workspace: Workspace,
) -> None:
    RegistrationFactory(event=workspace.event, status=Registration.Status.WAITLISTED)
    send(workspace, subject=FARSI_SUBJECT, audience="waitlisted")
    response = client_for(workspace.organizer).get(
        reverse("workspace:messages", kwargs={"event_id": workspace.event.pk})
        + "?audience=waitlisted&search=ana"
    )
    page = response.content.decode()
    assert FARSI_SUBJECT in page
    assert response.context["form"]["audience"].value() == "waitlisted"
    assert response.context["form"]["search"].value() == "ana"


def test_changing_the_message_from_the_preview_refills_the_form_and_sends_nothing(
    workspace: Workspace,
) -> None:
    RegistrationFactory(event=workspace.event)
    response = client_for(workspace.organizer).post(
        reverse("workspace:messages", kwargs={"event_id": workspace.event.pk}),
        message_form(subject="Draft subject"),
    )
    assert response.status_code == 200
    assert response.context["form"]["subject"].value() == "Draft subject"
    assert not OutboxEmail.objects.exists()
