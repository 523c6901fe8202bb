"""Per-client limits see the visitor's address behind our proxy, never one a client made up."""

import pytest
from django.test import RequestFactory
from django.test.utils import override_settings

from config.client_ip import UNKNOWN_CLIENT, client_ip


def request_from(remote_addr: str | None, forwarded_for: str | None = None) -> object:
    meta = {}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    request = RequestFactory().post("/", **meta)
    if remote_addr is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote_addr
    return request


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "expected"),
    [
        # No proxy trusted: the header is ignored, whatever it says.
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # One HTTPS proxy: it appended the client's address last.
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        # A client's own X-Forwarded-For entries sit further left and are ignored.
        (1, "10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        (2, "10.0.0.3", "1.2.3.4, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
        # Reached without the proxy, or a header that is not an address: the connection's.
        (1, "203.0.113.7", None, "203.0.113.7"),
        (2, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        # A unix socket gives no address at all: one shared bucket, not an error.
        (0, "", None, UNKNOWN_CLIENT),
        (0, None, None, UNKNOWN_CLIENT),
    ],
)
def test_the_client_address_is_the_one_our_outermost_proxy_saw(
    proxies: int, remote_addr: str | None, forwarded_for: str | None, expected: str
) -> None:
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request_from(remote_addr, forwarded_for)) == expected  # type: ignore[arg-type]
