"""A real SMTP server on loopback (aiosmtpd) that records what it got and can refuse on cue."""

import asyncio
import email
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller

# The test servers' ports. Tried in random order: other test runs on the machine pick from
# the same range, and probing then binding is a race a busy machine does lose.
PORT_RANGE = range(8300, 8400)


def free_port(exclude: set[int] | None = None) -> int:
    for port in random.sample(PORT_RANGE, len(PORT_RANGE)):
        if exclude and port in exclude:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORT_RANGE}")


@dataclass
class Attempt:
    recipient: str
    message_id: str
    peer: tuple[str, int]
    at: float
    answer: str


@dataclass
class RecordingHandler:
    """Accepts mail, unless ``scripted[recipient]`` still holds answers to give first.

    ``scripted`` answers the message (after DATA); ``refused_recipients[address]`` answers
    RCPT TO instead, every time, as a server does for a mailbox it does not have.
    """

    scripted: dict[str, list[str]] = field(default_factory=dict)
    refused_recipients: dict[str, str] = field(default_factory=dict)
    delay_per_message: float = 0.0
    received: list[EmailMessage] = field(default_factory=list)
    peers: list[tuple[str, int]] = field(default_factory=list)
    # (MAIL FROM, RCPT TO addresses) of each accepted message.
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        refusal = self.refused_recipients.get(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        recipient = envelope.rcpt_tos[0]
        if self.delay_per_message:
            await asyncio.sleep(self.delay_per_message)
        with self.lock:
            answers = self.scripted.get(recipient) or []
            answer = answers.pop(0) if answers else "250 Message accepted"
            self.attempts.append(
                Attempt(recipient, str(message["Message-ID"]), session.peer, time.time(), answer)
            )
            if answer.startswith("250"):
                self.received.append(message)
                self.peers.append(session.peer)
                self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return answer

    def received_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.received]


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.handler = RecordingHandler()
        self.fixed_port = port is not None
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpServer":
        for _attempt in range(10):
            try:
                self.controller.start()
                return self
            except OSError:
                if self.fixed_port:
                    raise
                # Taken between the probe and the bind: another port.
                self.port = free_port(exclude={self.port})
                self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        raise RuntimeError("No SMTP test port could be bound")

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def wait_for(condition: Callable[[], bool], timeout: float = 20.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
