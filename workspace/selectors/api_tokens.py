"""Reads of API tokens: an organization's list, and the token a request presents."""

import hashlib

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from events.models import Organization
from workspace.models import ApiToken

# What every token starts with (workspace.services.api_tokens makes them).
TOKEN_PREFIX = "cvn_"  # noqa: S105 (a prefix, not a secret)


def api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_tokens_of(organization: Organization) -> QuerySet[ApiToken]:
    """Every token of the organization, revoked and expired ones included, newest first."""
    return ApiToken.objects.filter(organization=organization).select_related("created_by")


def api_token_of_organization_or_404(organization: Organization, token_id: int) -> ApiToken:
    token = api_tokens_of(organization).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    return token


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The usable token (not revoked, not expired) whose secret this is; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("organization")
        .filter(token_hash=api_token_hash(secret))
        .first()
    )
    if token is None or not token.is_usable(timezone.now()):
        return None
    return token
