"""A lean HTTP/1.1 load generator for the benchmarks: raw asyncio streams, keep-alive.

httpx spent about as much CPU per request as the server's baseline view, and the load
generator shares the machine's two CPUs with the server: its cost held both phases down
and squeezed their ratio. This client formats each request once and parses only the
status line and the headers it needs, so what is measured is the server.
"""

import asyncio
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

Item = TypeVar("Item")


@dataclass
class Timings:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    body: bytes = b""


class Connection:
    """One keep-alive connection to the server; one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> "Connection":
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def request(self, raw: bytes) -> Answer:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = b""
        if headers.get("transfer-encoding", "").lower() == "chunked":
            await self._skip_chunked_body()
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            raise ConnectionError("the server closed the keep-alive connection")
        return Answer(status=status, location=headers.get("location", ""), body=body)

    async def _skip_chunked_body(self) -> None:
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await self.reader.readexactly(size + 2)
            if size == 0:
                return

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


def get_request(*, path: str, host: str, headers: dict[str, str]) -> bytes:
    """The bytes of one GET, ready to write to a keep-alive connection."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def form_post(*, path: str, host: str, body: bytes, headers: dict[str, str]) -> bytes:
    """The bytes of one urlencoded POST, ready to write to a keep-alive connection."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def send_all(
    connections: list[Connection],
    items: Iterable[Item],
    *,
    build: Callable[[int, Item], bytes],
    ok: tuple[int, str],
    answered: Callable[[Item, float], None] | None = None,
) -> Timings:
    """Send one request per item, over all connections in parallel; time each one.

    ``build(n, item)`` makes the request's bytes for connection number n (each connection
    may carry its own cookie). A request counts when the answer has status ``ok[0]`` and a
    Location starting with ``ok[1]``; anything else is recorded as an error. ``answered(item,
    wall_clock_time)`` is called for each request that counted.
    """
    timings = Timings()
    queue: Iterator[Item] = iter(items)
    expected_status, expected_location = ok

    async def drive(number: int, connection: Connection) -> None:
        for item in queue:
            raw = build(number, item)
            started = time.perf_counter()
            try:
                answer = await connection.request(raw)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                timings.errors.append(repr(error))
                continue
            elapsed = time.perf_counter() - started
            if answer.status == expected_status and answer.location.startswith(expected_location):
                timings.latencies.append(elapsed)
                if answered is not None:
                    answered(item, time.time())
            else:
                timings.errors.append(f"{answer.status} {answer.location}")

    await asyncio.gather(*(drive(n, connection) for n, connection in enumerate(connections)))
    return timings
