"""The Celery broker transport reuses one Redis client and still delivers every message."""

import uuid

import pytest
from kombu import Connection

from config.broker import Transport
from config.celery import app

pytestmark = pytest.mark.redis


def test_celery_publishes_through_the_reusing_transport() -> None:
    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, Transport)


def test_messages_arrive_in_order_through_one_reused_client() -> None:
    queue_name = f"test-broker-{uuid.uuid4()}"
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue(queue_name)
        try:
            channel = queue.channel
            with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
                assert first is second
            for number in range(3):
                queue.put({"number": number})
            received = [queue.get(timeout=5) for _ in range(3)]
            assert [message.payload["number"] for message in received] == [0, 1, 2]
            for message in received:
                message.ack()
        finally:
            queue.queue.delete()
            queue.close()


def test_a_reconnected_channel_gets_a_client_of_its_new_pool() -> None:
    with Connection(app.conf.broker_url, transport=Transport) as connection:
        channel = connection.channel()
        with channel.conn_or_acquire() as before:
            assert before.ping()
        channel._pool = None
        with channel.conn_or_acquire() as after:
            assert after is not before
            assert after.connection_pool is channel.pool
            assert after.ping()
        channel.close()
