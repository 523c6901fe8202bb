"""kombu's Redis transport, reusing one client for its commands (docs/benchmarks.md).

kombu builds a new ``redis.Redis`` object for every command it sends outside its consumer
loop, every task published included. The constructor fills a table of ~170 response
callbacks, which cost a quarter of publishing a task. A client is thread-safe and only
borrows connections from the channel's pool, so one per pool is kept.
"""

from typing import Any

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _command_client: Any = None

    # kombu's stubs leave out its private methods, hence the ignores below.
    def _create_client(self, asynchronous: bool = False) -> Any:
        if asynchronous:
            return super()._create_client(asynchronous=True)  # type: ignore[misc]
        client = self._command_client
        # The channel drops its pool when it reconnects; a client of the old one is stale.
        if client is None or client.connection_pool is not self.pool:
            client = self._command_client = super()._create_client()  # type: ignore[misc]
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
