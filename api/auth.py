"""Who is calling: the organization's API token in ``Authorization: Bearer``.

The token is checked and counted against its rate limit before any view runs; its
organization scopes every read (``api.selectors``), so another organization's data is a 404.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from api.problems import ApiProblem
from config.client_ip import client_ip
from config.rate_limit import rate_limit_hit
from workspace.models import ApiToken
from workspace.selectors.api_tokens import api_token_for_secret
from workspace.services.api_tokens import api_token_mark_used


def _too_many(retry_after: int) -> ApiProblem:
    return ApiProblem(
        429,
        "rate_limited",
        f"Too many requests; try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
    )


class TokenAuth(HttpBearer):
    """A usable token of any scope; ``write=True``: a read-only token is refused (403).

    Checked before the request body is, so a read token gets 403 whatever it sends.
    """

    def __init__(self, *, write: bool = False) -> None:
        super().__init__()
        self.write = write

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_for_secret(token.strip())
        if found is None:
            return None
        if self.write and not found.can_write:
            raise ApiProblem(403, "read_only_token", "This token may only read; use a write token.")
        retry_after = rate_limit_hit(
            group="api", rate=settings.API_RATE_LIMIT, client=f"token-{found.pk}"
        )
        if retry_after is not None:
            raise _too_many(retry_after)
        api_token_mark_used(token=found)
        return found


def check_public_rate_limit(request: HttpRequest) -> None:
    """Token-free reads are limited per client address instead."""
    retry_after = rate_limit_hit(
        group="api-public", rate=settings.API_PUBLIC_RATE_LIMIT, client=client_ip(request)
    )
    if retry_after is not None:
        raise _too_many(retry_after)


def request_token(request: HttpRequest) -> ApiToken:
    """The token that authenticated this request (every route but the public ones)."""
    token = getattr(request, "auth", None)
    assert isinstance(token, ApiToken)
    return token


# For every operation that changes something.
WRITE = TokenAuth(write=True)


def write_token(request: HttpRequest) -> ApiToken:
    """The token of an operation guarded by ``WRITE``."""
    token = request_token(request)
    assert token.can_write
    return token
