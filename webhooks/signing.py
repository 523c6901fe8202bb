"""Standard Webhooks signatures, through the ``standardwebhooks`` package (docs/webhooks.md).

``webhook-signature: v1,<base64 of HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>``, with
the secret written ``whsec_<base64>``. Receivers check it with the same package, or with the
few lines of Python in docs/webhooks.md.
"""

import base64
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signed_headers(
    *, secrets: list[str], message_id: str, sent_at: datetime, body: str
) -> dict[str, str]:
    """The three headers of one attempt; ``sent_at`` must be an aware UTC datetime.

    One signature per secret, separated by spaces, as Standard Webhooks allows for rotation:
    a receiver accepts the message if any of them verifies with the secret it has.
    """
    signatures = [
        Webhook(secret).sign(msg_id=message_id, timestamp=sent_at, data=body) for secret in secrets
    ]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
