"""Where a webhook may go: no server-side request forgery (docs/design.md, "Webhooks").

A URL names a host; the host's addresses decide. Unless ``WEBHOOKS_ALLOW_PRIVATE_TARGETS``
(dev and test settings only), every address the name resolves to must be a public one:
private, loopback, link-local, multicast, reserved and unspecified addresses are refused,
IPv4-mapped IPv6 ones by their IPv4 address. The check runs when an endpoint is saved and
again before every attempt (DNS can change), and the request then goes to the address that
was checked, never to a second lookup. Redirects are not followed.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(Exception):
    """The URL may not receive webhooks; the text says why, for the person or the record."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to."""

    url: SplitResult
    hostname: str
    address: IPAddress


def is_public_address(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_url_form(url: str) -> SplitResult:
    """The URL's own rules: https (http too where private targets are allowed), a host, no
    user name or password (they would be stored and shown in plain text)."""
    parts = urlsplit(url)
    allowed_schemes = {"https", "http"} if settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS else {"https"}
    if parts.scheme not in allowed_schemes:
        raise UnsafeTarget(_("Use an https:// address."))
    if not parts.hostname:
        raise UnsafeTarget(_("The address has no host name."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("Leave the user name and password out of the address."))
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise UnsafeTarget(_("The port is not a valid number.")) from None
    return parts


def resolve(hostname: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeTarget(_("The host name could not be found.")) from None
    addresses: list[IPAddress] = []
    for info in infos:
        # The scope of an IPv6 link-local address ("fe80::1%eth0") is not part of it.
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeTarget(_("The host name could not be found."))
    return addresses


def target_check(url: str) -> Target:
    """Check ``url`` and resolve its host; ``UnsafeTarget`` says why it may not be used."""
    parts = check_url_form(url)
    hostname = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(hostname, port)
    # Every address, not just the first: a name with one public and one private address
    # could be sent to either.
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS and not all(
        is_public_address(address) for address in addresses
    ):
        raise UnsafeTarget(_("The address points into a private network; use a public one."))
    return Target(url=parts, hostname=hostname, address=addresses[0])
