"""API tokens: made and revoked by an organization's owners (docs/api.md, "Tokens").

A token is ``cvn_`` followed by 43 random URL-safe characters (256 bits). The prefix lets
people and secret scanners recognise one; only its SHA-256 is stored.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Organization
from workspace.audit import Actor, audit_record
from workspace.models import ApiToken
from workspace.selectors.api_tokens import TOKEN_PREFIX, api_token_hash

# How often the last use of a token is written: one UPDATE per token and minute at most,
# rather than one per request.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewApiToken:
    token: ApiToken
    # The token itself: shown once, never stored.
    secret: str


def api_token_create(
    *,
    organization: Organization,
    name: str,
    scope: str,
    expires_at: datetime | None = None,
    actor: Actor | None,
) -> NewApiToken:
    """Make a token for ``organization``; the secret in the result is its only copy."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(
            organization=organization,
            name=name,
            scope=scope,
            expires_at=expires_at,
            token_hash=api_token_hash(secret),
            hint=secret[: len(TOKEN_PREFIX) + 4],
            created_by=actor if actor is not None and not isinstance(actor, ApiToken) else None,
        )
        token.full_clean()
        token.save()
        audit_record(
            actor=actor,
            action="api_token.created",
            organization=organization,
            details={"token_id": token.pk, "name": name, "scope": scope},
        )
    return NewApiToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken, actor: Actor) -> ApiToken:
    """Stop a token from working, at once; revoking twice changes nothing."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoked",
            organization=locked.organization,
            details={"token_id": locked.pk, "name": locked.name},
        )
    return locked


def api_token_mark_used(*, token: ApiToken, now: datetime | None = None) -> None:
    """Record that the token was just used (to the minute: ``LAST_USED_PRECISION``)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
