"""A batch's shared parts change nothing in what each registrant receives."""

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from notifications import rendering
from notifications.models import OutboxEmail
from notifications.rendering import SharedParts, email_message_build
from tests.factories import EventFactory, OutboxEmailFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

START = datetime(2022, 1, 9, 18, 30, tzinfo=UTC)
ZONES = ["Asia/Tehran", "America/Los_Angeles", "UTC"]
LANGUAGES = ["en", "fa"]
STATUSES = ["confirmed", "waitlisted"]
KINDS = {
    OutboxEmail.Kind.REMINDER: {"rule": "1 hour before", "unsubscribe_url": "https://x.test/u/"},
    OutboxEmail.Kind.CONFIRMATION: {"invite": "request", "sequence": 0},
    OutboxEmail.Kind.EVENT_UPDATED: {
        "changes": [{"field": "starts_at", "old": "2022-01-08T18:30:00+00:00", "new": None}],
        "invite": "request",
        "sequence": 1,
    },
}


def _mixed_batch() -> list[OutboxEmail]:
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=1))
    other = EventFactory(starts_at=START, ends_at=START + timedelta(hours=2), title="Other")
    emails = []
    for target, zone, language, status in itertools.product(
        [event, other], ZONES, LANGUAGES, STATUSES
    ):
        registration = RegistrationFactory(
            event=target, time_zone=zone, language=language, status=status
        )
        for kind, context in KINDS.items():
            emails.append(
                OutboxEmailFactory(
                    kind=kind, registration=registration, language=language, context=context
                )
            )
    return emails


def _sent_form(message: Any) -> tuple[Any, ...]:
    return (message.subject, message.body, message.alternatives, message.extra_headers)


def test_one_shared_parts_for_a_mixed_batch_renders_each_email_as_alone(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(datetime(2022, 1, 1, tzinfo=UTC), tick=False)
    emails = _mixed_batch()
    shared = SharedParts()

    for email in emails:
        assert _sent_form(email_message_build(email, shared=shared)) == _sent_form(
            email_message_build(email)
        )


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
    assert len(rendered) - len(boxes) == 3 * len(emails)  # subject, text, HTML of each
