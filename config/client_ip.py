"""The address a request came from, for per-client limits (config/rate_limit.py).

In production Convene runs behind an HTTPS proxy, so REMOTE_ADDR is the proxy's address and
one limit would be shared by every visitor. Each proxy appends the address it received the
request from to X-Forwarded-For; ``TRUSTED_PROXY_COUNT`` says how many proxies of ours
stand in front, so the entry that many places from the right was written by our outermost
proxy and names the client. Entries further left come from the client and are ignored: they
can say anything.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Shared by whatever cannot be told apart (no address at all): better one bucket than a 500.
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 - a bucket name, nothing listens on it


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: from X-Forwarded-For past our trusted proxies, else REMOTE_ADDR."""
    hops: int = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= hops:
            address = _valid_ip(forwarded[-hops])
            if address is not None:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_CLIENT
