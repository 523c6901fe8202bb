"""A send form submitted twice at the same moment sends once (PostgreSQL, real transactions)."""

import threading
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from config.celery import app as celery_app
from notifications.models import OutboxEmail
from tests.factories import RegistrationFactory
from tests.workspace.conftest import Workspace
from workspace.models import Message
from workspace.services.messages import MessageSendResult, message_send


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Committed sends hand their batches to Celery; run them in-process, not via a broker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sends_with_one_key_in_flight_together_send_once(
    workspace: Workspace, eager_celery: None
) -> None:
    RegistrationFactory.create_batch(3, event=workspace.event)
    key = uuid.uuid4()
    first_inserted = threading.Event()
    second_started = threading.Event()
    results: dict[str, MessageSendResult] = {}
    errors: list[BaseException] = []

    def send(name: str) -> MessageSendResult:
        return message_send(
            event=workspace.event,
            sender=workspace.owner,
            subject="Hello",
            body="Once only",
            audience="confirmed",
            send_key=key,
        )

    def first() -> None:
        try:
            # Hold the first send's transaction open until the second one is under way, so
            # the second cannot see the first's row and must meet it at the unique index.
            with transaction.atomic():
                results["first"] = send("first")
                first_inserted.set()
                second_started.wait(timeout=5)
                threading.Event().wait(0.3)
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            first_inserted.set()
            connection.close()

    def second() -> None:
        try:
            first_inserted.wait(timeout=5)
            second_started.set()
            results["second"] = send("second")
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert not errors
    assert results["first"].created
    assert not results["second"].created
    assert results["second"].message.pk == results["first"].message.pk
    assert Message.objects.count() == 1
    assert OutboxEmail.objects.count() == 3
