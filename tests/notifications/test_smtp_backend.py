"""The SMTP backend's address shortcuts give what Django's ``sanitize_address`` gives."""

import random
from typing import Any

import pytest
from django.core import mail
from django.core.mail.message import sanitize_address

from notifications.smtp_backend import PLAIN_ADDRESS, sanitized_recipient, sanitized_sender

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
