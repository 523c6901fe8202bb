"""Signatures per Standard Webhooks, checked against the package's published vector, by
hand, and with the few lines docs/webhooks.md gives receivers."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from webhooks.signing import new_secret, signed_headers

# The example of the Standard Webhooks libraries' own tests.
VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": 1614265330,
    "body": '{"test": 2432232314}',
    "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def documented_check(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Copied from docs/webhooks.md, "Checking the signature" (keep the two the same)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(expected, signature.removeprefix("v1,"))
        for signature in headers["webhook-signature"].split()
        if signature.startswith("v1,")
    )


def test_the_published_vector_is_signed_as_published() -> None:
    sent_at = datetime.fromtimestamp(VECTOR["timestamp"], tz=UTC)  # type: ignore[arg-type]

    headers = signed_headers(
        secrets=[str(VECTOR["secret"])],
        message_id=str(VECTOR["id"]),
        sent_at=sent_at,
        body=str(VECTOR["body"]),
    )

    assert headers == {
        "webhook-id": VECTOR["id"],
        "webhook-timestamp": "1614265330",
        "webhook-signature": VECTOR["signature"],
    }
    body = str(VECTOR["body"]).encode()
    assert documented_check(str(VECTOR["secret"]), headers, body)


def test_a_new_secret_signs_what_the_package_and_the_documented_check_accept() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    body = '{"type":"registration.created","data":{"name":"Zoë"}}'
    headers = signed_headers(
        secrets=[secret], message_id="msg_1", sent_at=datetime.now(tz=UTC), body=body
    )

    assert Webhook(secret).verify(body, headers) == {
        "type": "registration.created",
        "data": {"name": "Zoë"},
    }
    assert documented_check(secret, headers, body.encode())
    assert not documented_check(secret, headers, body.replace("Zoë", "Zoe").encode())
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


def test_during_a_rotation_either_secret_verifies_the_message() -> None:
    new, old = new_secret(), new_secret()
    body = '{"type":"registration.created","data":{}}'
    headers = signed_headers(
        secrets=[new, old], message_id="msg_2", sent_at=datetime.now(tz=UTC), body=body
    )

    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (new, old):
        assert Webhook(secret).verify(body, headers) == {"type": "registration.created", "data": {}}
        assert documented_check(secret, headers, body.encode())
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)
