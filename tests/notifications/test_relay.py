"""The outbox relay: requests only write rows; the relay hands them to Celery in batches.

The broker here is a stand-in (``send_outbox_batch.delay`` recorded or failing); the real
Redis, relay process and worker are in test_worker.py.
"""

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client

from config.celery import app as celery_app
from notifications.models import OutboxEmail
from notifications.relay import (
    RELAY_CHANNEL,
    BrokerUnavailable,
    outbox_relay_pass,
    outbox_relay_run,
)
from notifications.tasks import send_outbox_batch, send_outbox_email
from tests.factories import EventFactory, OutboxEmailFactory
from tests.registrations.test_views import form_data, register_url


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[int]]]:
    """What reaches the broker: one list of ids per published batch. Eager mode off."""
    published: list[list[int]] = []

    def single(email_id: int) -> None:
        published.append([email_id])

    monkeypatch.setattr(send_outbox_batch, "delay", lambda ids: published.append(list(ids)))
    monkeypatch.setattr(send_outbox_email, "delay", single)
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, False
    try:
        yield published
    finally:
        celery_app.conf.task_always_eager = eager


@pytest.mark.django_db(transaction=True)
def test_a_registration_writes_its_email_and_leaves_the_broker_to_the_relay(
    client: Client, broker: list[list[int]]
) -> None:
    event = EventFactory()

    response = client.post(register_url(event), form_data())

    assert response.status_code == 302
    assert broker == []
    email = OutboxEmail.objects.get(registration__event=event)
    assert (email.status, email.relayed_at) == ("queued", None)

    assert outbox_relay_pass() == 1

    assert broker == [[email.pk]]
    email.refresh_from_db()
    assert email.relayed_at is not None
    assert outbox_relay_pass() == 0
    assert broker == [[email.pk]]


@pytest.mark.django_db
def test_the_relay_hands_rows_over_in_batches_oldest_first(
    broker: list[list[int]], settings: Any
) -> None:
    settings.OUTBOX_BATCH_SIZE = 4
    emails = OutboxEmailFactory.create_batch(10)

    assert outbox_relay_pass() == 10

    assert broker == [
        [email.pk for email in emails[0:4]],
        [email.pk for email in emails[4:8]],
        [email.pk for email in emails[8:10]],
    ]


@pytest.mark.django_db
def test_while_the_broker_is_away_the_rows_wait_and_go_when_it_is_back(
    monkeypatch: pytest.MonkeyPatch, broker: list[list[int]], settings: Any
) -> None:
    settings.OUTBOX_BATCH_SIZE = 4
    emails = OutboxEmailFactory.create_batch(10)
    taken: list[list[int]] = []

    def second_batch_refused(ids: list[int]) -> None:
        if taken:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        taken.append(list(ids))

    monkeypatch.setattr(send_outbox_batch, "delay", second_batch_refused)

    with pytest.raises(BrokerUnavailable):
        outbox_relay_pass()

    relayed = OutboxEmail.objects.filter(relayed_at__isnull=False)
    assert sorted(relayed.values_list("pk", flat=True)) == [email.pk for email in emails[:4]]
    monkeypatch.setattr(send_outbox_batch, "delay", lambda ids: broker.append(list(ids)))

    assert outbox_relay_pass() == 6
    assert broker == [[email.pk for email in emails[4:8]], [email.pk for email in emails[8:]]]
    assert not OutboxEmail.objects.filter(relayed_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_committing_an_email_notifies_the_relay_and_rolling_back_does_not() -> None:
    params = connection.get_connection_params()
    listener = psycopg.connect(
        dbname=params["dbname"],
        user=params.get("user"),
        password=params.get("password"),
        host=params.get("host"),
        port=params.get("port"),
        autocommit=True,
    )
    try:
        listener.execute(f"LISTEN {RELAY_CHANNEL}")
        with pytest.raises(RuntimeError), transaction.atomic():
            OutboxEmailFactory()
            raise RuntimeError("rolled back")
        assert list(listener.notifies(timeout=0.5)) == []

        with transaction.atomic():
            OutboxEmailFactory()
            OutboxEmailFactory()

        woken = list(listener.notifies(timeout=5))
        assert [notification.channel for notification in woken] == [RELAY_CHANNEL]
    finally:
        listener.close()


@pytest.mark.django_db(transaction=True)
def test_the_running_relay_hands_a_new_email_over_within_a_second(
    broker: list[list[int]],
) -> None:
    """Woken by NOTIFY on PostgreSQL, by its sub-second poll on SQLite."""
    stop = threading.Event()
    relay = threading.Thread(target=outbox_relay_run, kwargs={"should_stop": stop.is_set})
    relay.start()
    try:
        time.sleep(1.0)  # the relay is listening, its first pass done
        email = OutboxEmailFactory()
        committed = time.monotonic()
        while not broker and time.monotonic() - committed < 5:
            time.sleep(0.01)
        waited = time.monotonic() - committed
    finally:
        stop.set()
        relay.join(timeout=10)
    assert broker == [[email.pk]]
    assert waited < 1.0
