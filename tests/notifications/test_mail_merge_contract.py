"""A template that reads what a batch's shared render lacks fails the tests, loudly.

A batch renders each variant once with a stand-in for the registration (notifications/
mail_merge.py). In production a field the stand-in lacks renders empty; under the test
settings (``MAIL_MERGE_STRICT``) it raises, so a template that starts reading, say, the
registrant's email breaks the suite instead of sending every reader an empty gap.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates

from notifications import rendering
from notifications.mail_merge import MailMergeViolation
from notifications.models import OutboxEmail
from notifications.rendering import SharedParts, email_message_build
from notifications.sending import outbox_send_many
from tests.factories import EventFactory, OutboxEmailFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

START = datetime(2030, 1, 9, 18, 30, tzinfo=UTC)


def _reminder(name: str = "Ana") -> OutboxEmail:
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = RegistrationFactory(event=event, name=name, email="ana@example.org")
    return OutboxEmailFactory(
        kind=OutboxEmail.Kind.REMINDER,
        registration=registration,
        context={"rule": "1 hour before", "unsubscribe_url": "https://x.test/u/1/"},
    )


def _text_template(monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    """Replace the email's text template with ``source``, as if someone edited it."""
    render = rendering._render

    def render_edited(name: str, context: dict[str, Any], *, autoescape: bool) -> str:
        if not name.endswith(".txt") or name.endswith("_subject.txt") or "includes" in name:
            return render(name, context, autoescape=autoescape)
        backend = engines["django"]
        assert isinstance(backend, DjangoTemplates)
        template = backend.engine.from_string(source)
        return template.render(Context(context, autoescape=autoescape))

    monkeypatch.setattr(rendering, "_render", render_edited)


@pytest.mark.parametrize(
    "source",
    [
        "Write to {{ registration.email }}",
        "{% if registration.email %}on file{% endif %}",
        # The if tag swallows any Exception raised by an operand of ==, and/or, not.
        '{% if registration.email == "ana@example.org" %}it is you{% endif %}',
        "{% if not registration.pk %}new{% endif %}",
        "Sent to {{ email.recipient }}",
        "{% if email %}a row{% endif %}",
        # A filter over a marker leaves a broken one behind.
        "Dear {{ registration.name|upper }}",
        "Dear {{ registration.name|truncatechars:4 }}",
    ],
)
def test_a_merged_render_that_reads_an_unlisted_value_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    _text_template(monkeypatch, source)
    email = _reminder()

    with pytest.raises(MailMergeViolation, match="merged email render"):
        email_message_build(email, shared=SharedParts())


def test_the_sender_does_not_turn_the_violation_into_a_failed_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A render error marks a row failed and the batch goes on; this one stops the test."""
    _text_template(monkeypatch, "Write to {{ registration.email }}")
    email = _reminder()

    with pytest.raises(MailMergeViolation):
        outbox_send_many(email_ids=[email.pk])


def test_the_listed_values_render_as_in_the_direct_render(monkeypatch: pytest.MonkeyPatch) -> None:
    _text_template(
        monkeypatch,
        "{{ registration.name }}|{{ registration.status }}|{{ registration.time_zone }}|"
        "{{ registration.rejection_reason }}|{{ manage_url }}|{{ context.unsubscribe_url }}",
    )
    email = _reminder(name="Ana <&>")

    merged = email_message_build(email, shared=SharedParts()).body

    assert merged == email_message_build(email).body
    assert merged.startswith("Ana <&>|confirmed|")


def test_in_production_an_unlisted_value_renders_empty_and_the_email_still_goes(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.MAIL_MERGE_STRICT = False
    _text_template(monkeypatch, "Write to [{{ registration.email }}] from [{{ email.recipient }}]")
    email = _reminder()

    merged = email_message_build(email, shared=SharedParts()).body

    assert merged == "Write to [] from []"
    assert email_message_build(email).body == "Write to [ana@example.org] from [ana@example.org]"
