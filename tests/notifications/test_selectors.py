import pytest

from notifications.models import OutboxEmail
from notifications.selectors import outbox_failed_for_event
from tests.factories import EventFactory
from tests.notifications.helpers import register

pytestmark = pytest.mark.django_db


def test_failed_emails_of_an_event_are_listed_for_its_organizers() -> None:
    event, other_event = EventFactory(), EventFactory()
    bounced = register(event, "bounce@example.org")
    register(event, "fine@example.org")
    register(other_event, "bounce@example.org")
    OutboxEmail.objects.filter(registration=bounced).update(
        status="failed", last_error="550 No such mailbox"
    )
    OutboxEmail.objects.filter(registration__event=other_event).update(status="failed")

    failed = list(outbox_failed_for_event(event=event))

    assert [(email.recipient, email.last_error) for email in failed] == [
        ("bounce@example.org", "550 No such mailbox")
    ]
