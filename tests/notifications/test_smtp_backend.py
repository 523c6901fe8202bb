"""The SMTP backend's address shortcuts give what Django's ``sanitize_address`` gives."""

import hashlib
import inspect
import random
from typing import Any

import django
import pytest
from django.core import mail
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address

from notifications.smtp_backend import (
    PLAIN_ADDRESS,
    EmailBackend,
    sanitized_recipient,
    sanitized_sender,
)

# Characters that matter to an address parser, and some that only look harmless.
ALPHABET = "aZ09.-_+!#$%&'*/=?^`{|}~@ \"()<>,;:[]\\\tüé中\u200bx"


def _sanitized_or_error(address: Any, function: Any) -> str:
    try:
        return str(function(address, "utf-8"))
    except Exception as error:  # the stdlib parser has its own ways to fail on odd input
        return f"{type(error).__name__}: {error}"


def _random_addresses(count: int) -> list[str]:
    generator = random.Random(20261126)  # the same addresses on every run
    addresses = []
    for _ in range(count):
        local = "".join(generator.choices(ALPHABET, k=generator.randint(0, 8)))
        labels = [
            "".join(generator.choices("ab-9.xü", k=generator.randint(0, 6)))
            for _ in range(generator.randint(1, 3))
        ]
        addresses.append(f"{local}@{'.'.join(labels)}")
    return addresses


ADDRESSES = [
    "r1@bench.example.org",
    "First.Last+tag@Example.ORG",
    "o'brien@example.ie",
    "a..b@example.org",
    ".a@example.org",
    "a.@example.org",
    "a@-example.org",
    "a@example-.org",
    "a@example..org",
    "a@example.org.",
    f"a@{'x' * 63}.org",
    f"a@{'x' * 64}.org",
    "user@xn--bcher-kva.example",
    "user@bücher.example",
    "üser@example.org",
    "Name <user@example.org>",
    '"quoted local"@example.org',
    "user@[192.0.2.1]",
    "user@localhost",
    "user @example.org",
    "",
]


def test_a_recipient_comes_out_as_sanitize_address_makes_it() -> None:
    different = [
        address
        for address in ADDRESSES + _random_addresses(5000)
        if _sanitized_or_error(address, sanitized_recipient)
        != _sanitized_or_error(address, sanitize_address)
    ]

    assert different == []


def test_the_shortcut_is_taken_for_ordinary_addresses() -> None:
    # Were the pattern to accept nothing, the comparison above would pass on Django's path.
    assert PLAIN_ADDRESS.fullmatch("r1@bench.example.org")
    assert PLAIN_ADDRESS.fullmatch("First.Last+tag@Example.ORG")
    assert sum(bool(PLAIN_ADDRESS.fullmatch(address)) for address in _random_addresses(5000)) > 50


@pytest.mark.parametrize(
    "sender",
    [
        "Convene <reminders@convene.example.org>",
        "Convene ☕ <noreply@bücher.example>",
        ("Convene", "noreply@example.org"),
        "no-reply@example.org",
    ],
)
def test_a_sender_comes_out_as_sanitize_address_makes_it(sender: Any) -> None:
    for _ in range(2):  # the second time from the cache
        assert sanitized_sender(sender, "utf-8") == sanitize_address(sender, "utf-8")


def test_a_bad_sender_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="Invalid address"):
            sanitized_sender("not an address <", "utf-8")


def test_the_backend_delivers_to_a_real_server(smtp_server: Any) -> None:
    sent = mail.send_mail(
        "Hello",
        "Body",
        "Convene ☕ <noreply@example.org>",
        ["plain@example.org", "Named Person <named@bücher.example>"],
    )

    assert sent == 1
    assert smtp_server.handler.envelopes == [
        ("noreply@example.org", ["plain@example.org", "named@xn--bcher-kva.example"])
    ]


# The sha256 of Django's own EmailBackend._send, which notifications/smtp_backend.py copies.
STOCK_SEND_SHA256 = "0a3f2774a3b9669a81b6bfc2deb6d75a25f1fc15eccdf81149cf61a06dc13e16"


def test_written_for_django_5_2_s_send() -> None:
    stock = inspect.getsource(smtp.EmailBackend._send)

    assert django.VERSION[:2] == (5, 2) and hashlib.sha256(stock.encode()).hexdigest() == (
        STOCK_SEND_SHA256
    ), (
        f"Django {django.get_version()} changed EmailBackend._send, which "
        "notifications/smtp_backend.py copies with two address shortcuts. Compare the two, "
        "carry the change over (or drop the copy if Django now caches the sender itself), "
        "then update STOCK_SEND_SHA256 (docs/design.md, 'Framework internals we override')."
    )


class RecordingConnection:
    def __init__(self) -> None:
        self.sent: list[tuple[str, list[str], bytes]] = []

    def sendmail(self, from_email: str, recipients: list[str], message: bytes) -> None:
        self.sent.append((from_email, recipients, message))


def _sent_by(backend_class: Any, messages: list[mail.EmailMessage]) -> tuple[list[Any], Any]:
    """What ``_send`` answers for each message, and what it handed to the connection."""
    backend = backend_class(fail_silently=False)
    backend.connection = RecordingConnection()
    outcomes: list[Any] = []
    for message in messages:
        try:
            outcomes.append(backend._send(message))
        except Exception as error:  # an odd address fails the same way on both paths
            outcomes.append(f"{type(error).__name__}: {error}")
    return outcomes, backend.connection.sent


def test_the_backend_sends_what_django_s_own_sends() -> None:
    senders = ["Convene <noreply@example.org>", "Convene ☕ <noreply@bücher.example>"]
    addresses = ADDRESSES + _random_addresses(1500)
    messages = []
    for index, address in enumerate(addresses):
        message = mail.EmailMessage(
            "Reminder",
            "Body",
            senders[index % 2],
            [address, addresses[index - 1]],
            headers={"Message-ID": f"<{index}@example.org>", "Date": "Sat, 05 Dec 2026 16:00:00"},
        )
        messages.append(message)
    messages.append(mail.EmailMessage("Nobody", "Body", senders[0], []))

    assert _sent_by(EmailBackend, messages) == _sent_by(smtp.EmailBackend, messages)
