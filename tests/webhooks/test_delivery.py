"""Webhooks reach a real receiver on loopback, signed, retried, and stop when it is gone.

The receiver (tests/webhooks/receiver.py) checks every signature with the
``standardwebhooks`` package. Retries are driven with time-machine, never by sleeping.
"""

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail

from events.models import Event, Membership, Organization
from events.services import event_cancel, event_publish, event_save, event_snapshot
from notifications.models import OutboxEmail
from registrations.organizer_services import registration_add_by_organizer, registration_check_in
from registrations.services import registration_cancel
from tests.factories import EventFactory, MembershipFactory, register
from tests.webhooks.receiver import Answer, Receiver
from webhooks import sending
from webhooks.disabling import webhook_endpoint_disable
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.sending import Answer as SendingAnswer
from webhooks.tasks import send_due_webhook_deliveries

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


def webhook_emails() -> list[Any]:
    return [message for message in mail.outbox if "Webhooks to" in message.subject]


def upcoming(organization: Organization) -> Event:
    """An event still ahead at START (the factory's is a week after today)."""
    event: Event = EventFactory(organization=organization, starts_at=START + timedelta(days=30))
    return event


def _on_commit(capture: Any, action: Callable[[], object]) -> object:
    with capture(execute=True):
        return action()


def test_the_receiver_gets_every_event_type_signed_and_nothing_secret(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    capture = django_capture_on_commit_callbacks
    subscribe()
    event = EventFactory(
        organization=organization,
        status=Event.Status.DRAFT,
        kind=Event.Kind.HYBRID,
        venue_name="Town hall",
        capacity=1,
    )

    _on_commit(capture, lambda: event_publish(event=event))
    previous = event_snapshot(event)
    event.title = "Town hall meeting"
    _on_commit(capture, lambda: event_save(event=event, previous=previous))
    ana = _on_commit(capture, lambda: register(event, "ana@example.org", name="Ana"))
    _on_commit(capture, lambda: register(event, "bo@example.org", name="Bo"))
    _on_commit(capture, lambda: registration_check_in(registration=ana))  # type: ignore[arg-type]
    _on_commit(capture, lambda: registration_cancel(registration=ana))  # type: ignore[arg-type]
    event.refresh_from_db()
    _on_commit(capture, lambda: event_cancel(event=event))

    assert receiver.types() == [
        "event.published",
        "event.updated",
        "registration.created",  # Ana
        "registration.confirmed",
        "registration.created",  # Bo
        "registration.waitlisted",
        "checkin.created",
        "registration.cancelled",  # Ana; her seat goes to Bo
        "registration.promoted",
        "event.cancelled",
    ]
    assert all(request.verified for request in receiver.received)
    assert len({request.headers["webhook-id"] for request in receiver.received}) == 10
    by_type = {request.message["type"]: request.message for request in receiver.received}
    assert by_type["event.updated"]["data"]["changed"] == ["title"]
    assert by_type["registration.waitlisted"]["data"]["registration"]["email"] == "bo@example.org"
    assert by_type["registration.promoted"]["data"]["registration"]["status"] == "confirmed"
    assert by_type["checkin.created"]["data"]["registration"]["checked_in_at"] is not None
    for request in receiver.received:
        assert "secret-room" not in request.body  # the join link
        assert "Passcode" not in request.body  # the joining instructions
        assert request.headers["content-type"] == "application/json"
        assert request.headers["webhook-signature"].startswith("v1,")
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_only_the_picked_types_of_the_own_organization_are_sent(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(["registration.cancelled"])
    ours = upcoming(organization)
    theirs = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        ana = register(ours, "ana@example.org")
        register(theirs, "bo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=ana)

    assert receiver.types() == ["registration.cancelled"]


def test_a_change_that_rolls_back_sends_nothing(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe()
    event = EventFactory(organization=organization, capacity=1)
    register(event, "ana@example.org")
    WebhookDelivery.objects.all().delete()

    # The second registration's first attempt predicts a seat, is rolled back when the claim
    # disagrees, and is written again as waitlisted (docs/design.md, "Capacity").
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "bo@example.org")

    assert receiver.types() == ["registration.created", "registration.waitlisted"]
    assert WebhookDelivery.objects.count() == 2


def _send_due_at(traveller: Any, moment: datetime) -> None:
    traveller.move_to(moment)
    send_due_webhook_deliveries()


def test_500_three_times_then_200_arrives_with_growing_gaps(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    endpoint = subscribe(["registration.created"])
    receiver.answers = [Answer(500, body="database down")] * 3
    event = upcoming(organization)

    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            register(event, "ana@example.org")
        delivery = WebhookDelivery.objects.get()
        for _ in range(3):
            delivery.refresh_from_db()
            assert delivery.status == "queued"
            assert delivery.response_status == 500
            assert delivery.response_body == "database down"
            _send_due_at(traveller, delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert delivery.attempts == 4
    assert [request.verified for request in receiver.received] == [True] * 4
    assert len({request.headers["webhook-id"] for request in receiver.received}) == 1
    stamps = [request.timestamp for request in receiver.received]
    gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    assert 4 <= gaps[0] <= 6
    assert gaps[0] < gaps[1] < gaps[2], gaps
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None
    assert endpoint.is_active


def test_a_retry_is_not_sent_before_it_is_due(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(["registration.created"])
    receiver.answers = [Answer(503)]
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            register(upcoming(organization), "ana@example.org")
        _send_due_at(traveller, START + timedelta(seconds=3))
        assert len(receiver.received) == 1
        _send_due_at(traveller, START + timedelta(seconds=7))
    assert len(receiver.received) == 2


def test_429_waits_as_long_as_retry_after_says(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(["registration.created"])
    receiver.answers = [Answer(429, headers={"Retry-After": "120"})]
    with (
        time_machine.travel(START, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        register(upcoming(organization), "ana@example.org")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "queued"
    assert delivery.next_attempt_at == START + timedelta(seconds=120)


def test_a_client_error_is_not_retried(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(["registration.created"])
    receiver.answers = [Answer(400, body="bad signature?")]
    with django_capture_on_commit_callbacks(execute=True):
        register(upcoming(organization), "ana@example.org")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status, delivery.attempts) == ("failed", 400, 1)
    assert delivery.response_body == "bad signature?"


def test_a_timeout_and_a_closed_port_are_retried(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.WEBHOOKS_TIMEOUT = 0.3
    endpoint = subscribe(["registration.created"])
    receiver.answers = [Answer(200, delay=1.0)]
    closed = WebhookEndpoint.objects.create(
        organization=organization,
        url="http://127.0.0.1:9/nobody-listens",
        secret=endpoint.secret,
        event_types=["registration.created"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        register(upcoming(organization), "ana@example.org")

    timed_out = WebhookDelivery.objects.get(endpoint=endpoint)
    refused = WebhookDelivery.objects.get(endpoint=closed)
    assert (timed_out.status, timed_out.last_error) == ("queued", "Timed out")
    assert refused.status == "queued"
    assert refused.last_error.startswith("ConnectError")


def test_410_disables_the_endpoint_and_emails_the_owners(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    MembershipFactory(
        organization=organization,
        user__email="second-owner@example.org",
        role=Membership.Role.OWNER,
    )
    MembershipFactory(organization=organization, user__email="organizer@example.org")
    endpoint = subscribe(["registration.created"])
    receiver.answers = [Answer(410, body="gone")]
    event = upcoming(organization)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "ana@example.org")

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "410" in endpoint.disabled_reason
    emails = webhook_emails()
    assert sorted(message.to[0] for message in emails) == [
        "owner@example.org",
        "second-owner@example.org",
    ]
    assert endpoint.url in emails[0].subject
    assert f"/manage/organizations/{organization.slug}/webhooks/{endpoint.pk}/" in emails[0].body
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "bo@example.org")
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.count() == 1


def test_an_endpoint_failing_for_a_day_is_disabled_once_and_its_owners_told(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    endpoint = subscribe(["registration.created"])
    receiver.answers = [Answer(502)] * 100
    event = upcoming(organization)

    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            register(event, "ana@example.org")
        first = WebhookDelivery.objects.get()
        # A second message while the first is waiting: it is failed when the endpoint stops.
        traveller.move_to(START + timedelta(hours=20))
        with django_capture_on_commit_callbacks(execute=True):
            register(event, "bo@example.org")
        # Each retry waits its delay ±20 %: the first message's nine attempts can all fail
        # within 22 hours, so the clock follows whichever delivery is due next until the
        # endpoint has been failing for a day.
        for _ in range(40):
            endpoint.refresh_from_db()
            due = WebhookDelivery.objects.filter(status="queued").order_by("next_attempt_at")
            if not endpoint.is_active or not due.exists():
                break
            _send_due_at(traveller, due[0].next_attempt_at)

    first.refresh_from_db()
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert endpoint.disabled_at - START >= timedelta(days=1)
    assert endpoint.disabled_at - START < timedelta(days=2)
    assert first.status == "failed"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    (email,) = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.WEBHOOK_DISABLED)
    assert email.recipient == "owner@example.org"
    assert "No message was accepted for 1 days" in email.text_body


def test_the_dispatcher_sends_rows_whose_task_was_lost(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    settings: Any,
) -> None:
    """The broker was down at commit (no task), and a worker died mid-send ("sending")."""
    endpoint = subscribe(["registration.created"])
    with time_machine.travel(START, tick=False) as traveller:
        never_queued = WebhookDelivery.objects.create(
            endpoint=endpoint, event_type="registration.created", payload={"n": 1}
        )
        stuck = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_type="registration.created",
            payload={"n": 2},
            status=WebhookDelivery.Status.SENDING,
            attempts=1,
        )
        traveller.move_to(START + timedelta(seconds=settings.WEBHOOKS_STUCK_AFTER - 1))
        assert send_due_webhook_deliveries() == 0
        traveller.move_to(START + timedelta(seconds=settings.WEBHOOKS_STUCK_AFTER + 1))
        assert send_due_webhook_deliveries() == 2

    assert sorted(request.message["data"]["n"] for request in receiver.received) == [1, 2]
    stuck.refresh_from_db()
    never_queued.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("delivered", 2)
    assert (never_queued.status, never_queued.attempts) == ("delivered", 1)


def test_an_endpoint_removed_during_an_attempt_is_left_alone(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = subscribe(["registration.created"])
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type="registration.created", payload={}
    )

    def post_while_the_owner_removes_it(*args: Any, **kwargs: Any) -> SendingAnswer:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()
        return SendingAnswer(status=500)

    monkeypatch.setattr(sending, "_post", post_while_the_owner_removes_it)

    result = sending.webhook_delivery_send(delivery_id=delivery.pk)

    assert result.outcome is sending.Outcome.SKIPPED
    assert not WebhookDelivery.objects.exists()


def test_a_walk_in_is_created_confirmed_and_checked_in(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe()
    event = EventFactory(
        organization=organization, kind=Event.Kind.IN_PERSON, venue_name="Hall", join_url=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        registration_add_by_organizer(
            event=event, name="Dara", email="dara@example.org", time_zone="UTC", walk_in=True
        )

    assert receiver.types() == [
        "registration.created",
        "registration.confirmed",
        "checkin.created",
    ]
    assert receiver.received[2].message["data"]["registration"]["source"] == "walk_in"


def test_a_row_whose_every_attempt_died_with_its_worker_fails(
    subscribe: Callable[..., WebhookEndpoint], receiver: Receiver, settings: Any
) -> None:
    endpoint = subscribe(["registration.created"])
    with time_machine.travel(START, tick=False) as traveller:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_type="registration.created",
            payload={},
            status=WebhookDelivery.Status.SENDING,
            attempts=len(settings.WEBHOOKS_RETRY_DELAYS) + 1,
        )
        traveller.move_to(START + timedelta(seconds=settings.WEBHOOKS_STUCK_AFTER + 1))
        assert send_due_webhook_deliveries() == 0

    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert receiver.received == []


def test_the_disabled_notice_is_in_the_organizations_language(
    subscribe: Callable[..., WebhookEndpoint], organization: Organization
) -> None:
    """Written by a worker, with no request: the organization's default language."""
    Organization.objects.filter(pk=organization.pk).update(language="fa")
    endpoint = subscribe(["registration.created"])
    assert webhook_endpoint_disable(endpoint=endpoint, reason="410 Gone")
    (email,) = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.WEBHOOK_DISABLED)
    assert email.language == "fa"
    assert "فرستادن وب‌هوک‌های" in email.text_body
