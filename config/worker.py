"""The Celery worker's consumer, reconnecting to a broker that comes back within a second.

kombu retries a lost broker connection after 2, 4, 6 … up to 30 seconds, so a worker could
sit idle for ten seconds after Redis returned while the relay had already published the
outbox's backlog (docs/design.md, "The outbox relay"). This consumer asks for retries every
half second to a second. Set as CELERY_WORKER_CONSUMER; Celery 5.7's
``Consumer.ensure_connected`` is called unchanged, with the intervals bound in.
"""

import functools
from typing import Any

from celery.worker.consumer import Consumer as CeleryConsumer

RECONNECT_INTERVALS = {"interval_start": 0.5, "interval_step": 0.5, "interval_max": 1.0}


class Consumer(CeleryConsumer):
    def ensure_connected(self, conn: Any) -> Any:
        conn.ensure_connection = functools.partial(conn.ensure_connection, **RECONNECT_INTERVALS)
        try:
            return super().ensure_connected(conn)
        finally:
            del conn.ensure_connection
