"""Logs name registrations by id, never by address or name (docs/privacy.md)."""

import io
import logging
import logging.config
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from config.celery import configure_logging_from_django
from config.log_privacy import RedactEmailAddresses
from notifications.models import OutboxEmail
from notifications.sending import outbox_send
from registrations.models import Registration
from tests.factories import EventFactory
from tests.notifications.smtp import SmtpServer
from tests.registrations.test_views import cancel_url, form_data, register_url

pytestmark = pytest.mark.django_db

NAME = "Maryam Testname"
ADDRESS = "maryam.private@example.ir"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything logged from DEBUG up, through the filters of the handler settings.LOGGING
    configures (as Django set it up for this process)."""
    logging.config.dictConfig(settings.LOGGING)
    (console,) = logging.getLogger().handlers
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield output
    root.removeHandler(handler)
    root.setLevel(level)


def test_registering_a_failed_email_and_cancelling_log_no_address_or_name(
    client: Client, smtp_server: SmtpServer, log_output: io.StringIO
) -> None:
    smtp_server.handler.refused_recipients[ADDRESS] = f"550 5.1.1 <{ADDRESS}>: no such user"
    event = EventFactory()

    response = client.post(register_url(event), form_data(name=NAME, email=ADDRESS))
    registration = Registration.objects.get(event=event)
    email = OutboxEmail.objects.get(registration=registration)
    outbox_send(email_id=email.pk)
    client.post(cancel_url(registration), {"confirm": "yes"})

    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED  # the failure was really logged
    logged = log_output.getvalue()
    assert f"Outbox email {email.pk}" in logged
    assert ADDRESS not in logged.lower()
    assert "maryam" not in logged.lower()


def test_an_address_in_a_message_or_traceback_is_redacted() -> None:
    try:
        raise ValueError(f"refused: {{'{ADDRESS}': (550, b'no')}}")
    except ValueError:
        record = logging.LogRecord(
            "test", logging.ERROR, __file__, 1, "for %s", (ADDRESS,), exc_info=True
        )
        record.exc_info = sys.exc_info()
    RedactEmailAddresses().filter(record)

    text = logging.Formatter().format(record)
    assert ADDRESS not in text
    assert text.startswith("for [address]")
    assert "refused: {'[address]'" in text


def test_celery_workers_log_through_the_same_filter() -> None:
    configure_logging_from_django()

    filters = [f for handler in logging.getLogger().handlers for f in handler.filters]
    assert any(isinstance(f, RedactEmailAddresses) for f in filters)
