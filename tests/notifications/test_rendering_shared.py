"""A batch's shared parts change nothing in what each registrant receives."""

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from time_machine import TimeMachineFixture

from notifications import rendering
from notifications.models import OutboxEmail
from notifications.rendering import SharedParts, email_message_build
from registrations.models import Registration
from registrations.selectors import registration_manage_token
from tests.factories import EventFactory, OutboxEmailFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

START = datetime(2022, 1, 9, 18, 30, tzinfo=UTC)
ZONES = ["Asia/Tehran", "America/Los_Angeles", "UTC"]
LANGUAGES = ["en", "fa"]
STATUSES = ["confirmed", "waitlisted", "pending", "rejected"]
# Names a merged render must not confuse: markup, quotes, Farsi, extra spaces, empty.
NAMES = [
    'Ada <b>&amp;</b> "Lovelace"',
    "  مریم   میرزاخانی ",
    "O'Brien & Sons",
    "",
    "\ue000x\ue001",
]
KINDS: dict[str, dict[str, Any]] = {
    OutboxEmail.Kind.REMINDER: {"rule": "1 hour before", "unsubscribe_url": "per reader"},
    OutboxEmail.Kind.CONFIRMATION: {"invite": "request", "sequence": 0},
    OutboxEmail.Kind.EVENT_UPDATED: {
        "changes": [{"field": "starts_at", "old": "2022-01-08T18:30:00+00:00", "new": None}],
        "invite": "request",
        "sequence": 1,
    },
    OutboxEmail.Kind.EVENT_CANCELLED: {"invite": "cancel", "sequence": 2},
    OutboxEmail.Kind.CANCELLATION: {"invite": "cancel", "sequence": 1},
    OutboxEmail.Kind.WAITLISTED: {},
    OutboxEmail.Kind.PROMOTED: {"invite": "request", "sequence": 0},
    OutboxEmail.Kind.PENDING: {},
    OutboxEmail.Kind.REJECTED: {},
    OutboxEmail.Kind.MESSAGE: {"subject": "Doors <open> at 6", "body": "Bring\n\nID & a pen"},
}


def _mixed_batch() -> list[OutboxEmail]:
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=1))
    other = EventFactory(starts_at=START, ends_at=START + timedelta(hours=2), title="Other")
    emails = []
    # Two readers of each combination, so that they share a merged render.
    combinations = itertools.product([event, other], ZONES, LANGUAGES, STATUSES, range(2))
    for number, (target, zone, language, status, _) in enumerate(combinations):
        registration = RegistrationFactory(
            event=target,
            time_zone=zone,
            language=language,
            status=status,
            name=NAMES[number % len(NAMES)],
            rejection_reason=f"Full <sorry> {number}" if status == "rejected" else "",
        )
        for kind, context in KINDS.items():
            if kind == OutboxEmail.Kind.EVENT_CANCELLED and status != "confirmed":
                context = {}  # as on_event_cancelled writes it: no invite to withdraw
            if "unsubscribe_url" in context:
                url = f"https://x.test/u/{number}/?a=1&b=<{number}>"
                context = {**context, "unsubscribe_url": url, "reminder_id": number}
            emails.append(
                OutboxEmailFactory(
                    kind=kind, registration=registration, language=language, context=context
                )
            )
    return emails


def _manage_url(registration: Registration) -> str:
    token = registration_manage_token(registration)
    return settings.SITE_URL + reverse("registrations:manage", kwargs={"token": token})


def _sent_form(message: Any) -> tuple[Any, ...]:
    return (message.subject, message.body, message.alternatives, message.extra_headers)


def test_one_shared_parts_for_a_mixed_batch_renders_each_email_as_alone(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(datetime(2022, 1, 1, tzinfo=UTC), tick=False)
    emails = _mixed_batch()
    shared = SharedParts()

    for email in emails:
        alone = _sent_form(email_message_build(email))
        assert _sent_form(email_message_build(email, shared=shared)) == alone
        assert _manage_url(email.registration) in alone[1]  # each reader's own link


def test_the_event_box_is_rendered_once_per_language_zone_and_access(monkeypatch: Any) -> None:
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=1))
    emails = [
        OutboxEmailFactory(
            kind=OutboxEmail.Kind.REMINDER,
            registration=RegistrationFactory(event=event, time_zone=zone, language=language),
            language=language,
        )
        for zone, language in itertools.product(ZONES, LANGUAGES)
        for _ in range(3)
    ]
    rendered: list[str] = []
    render = rendering._render

    def counting_render(name: str, context: dict[str, Any], *, autoescape: bool) -> str:
        rendered.append(name)
        return render(name, context, autoescape=autoescape)

    monkeypatch.setattr(rendering, "_render", counting_render)
    shared = SharedParts()
    for email in emails:
        email_message_build(email, shared=shared)

    boxes = [name for name in rendered if "includes/event_details" in name]
    assert len(boxes) == 2 * len(ZONES) * len(LANGUAGES)  # text and HTML, not per email
    # Subject, text and HTML once per language and zone, not per email (mail_merge).
    assert len(rendered) - len(boxes) == 3 * len(ZONES) * len(LANGUAGES)


def test_a_subject_that_names_the_reader_is_rendered_for_each(monkeypatch: Any) -> None:
    """A merged subject would be cut and collapsed around a marker: those render alone."""
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=1))
    emails = [
        OutboxEmailFactory(
            kind=OutboxEmail.Kind.REMINDER,
            registration=RegistrationFactory(event=event, name=f"Reader  {number}"),
        )
        for number in range(3)
    ]
    render = rendering._render

    def subject_with_name(name: str, context: dict[str, Any], *, autoescape: bool) -> str:
        if name.endswith("_subject.txt"):
            return f"For {context['registration'].name}"
        return render(name, context, autoescape=autoescape)

    monkeypatch.setattr(rendering, "_render", subject_with_name)
    shared = SharedParts()

    subjects = [email_message_build(email, shared=shared).subject for email in emails]

    assert subjects == ["For Reader 0", "For Reader 1", "For Reader 2"]
