"""Message-IDs and calendar UIDs at the site's own domain.

A leaf module: the outbox (which writes rows) and the invites (which the sender renders) both
need the domain, and neither may import the other (tests/test_import_layers.py).
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings


def message_id_domain() -> str:
    """The Message-ID domain: the site's own host (a real domain, never localhost)."""
    return urlsplit(settings.SITE_URL).hostname or "convene.invalid"


def new_message_id() -> str:
    return f"<{uuid.uuid4()}@{message_id_domain()}>"
