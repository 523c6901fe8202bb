"""Sending one webhook delivery: claim, check the target, POST, record — at least once.

No transaction is open while the receiver is talked to. A row is claimed with one
conditional UPDATE (``queued`` and due → ``sending``), so a countdown task and the
dispatcher never send the same attempt twice. Every attempt carries the same ``webhook-id``
and a fresh ``webhook-timestamp`` and signature, so receivers drop duplicates by id.

Retries (docs/webhooks.md, "Retries"): timeouts, connection errors, 5xx and 429 come back
after the next wait of ``WEBHOOKS_RETRY_DELAYS`` (±20 % jitter), or later if the receiver's
``Retry-After`` asks so; other answers are final. An endpoint that answers 410 Gone, or has
not accepted anything for ``WEBHOOKS_DISABLE_AFTER``, is disabled and its owners are told.
"""

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import Enum

import httpx
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from webhooks.disabling import webhook_endpoint_disable
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.signing import signed_headers
from webhooks.targets import Target, UnsafeTarget, target_check

logger = logging.getLogger(__name__)

USER_AGENT = "Convene-Webhooks/1"
# A countdown may fire a hair before the stored time on another worker's clock.
_CLOCK_TOLERANCE = timedelta(seconds=1)
_SWEEP_LIMIT = 1000


class Outcome(Enum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SendResult:
    delivery_id: int
    outcome: Outcome
    retry_in: float | None = None


@dataclass(frozen=True)
class Answer:
    """What one attempt got: a status and the start of the body, or an error."""

    status: int | None = None
    body: str = ""
    error: str = ""
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def retryable(self) -> bool:
        if self.status is None:
            return True  # timeout, connection error, a target refused now (DNS may change)
        return self.status == 429 or self.status >= 500


def message_body(delivery: WebhookDelivery) -> str:
    """The JSON body: Standard Webhooks' ``type``, ``timestamp`` (of the change) and ``data``."""
    return json.dumps(
        {
            "type": delivery.event_type,
            "timestamp": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def retry_delay(*, attempts: int, retry_after: float | None = None) -> float | None:
    """Seconds until the next attempt after ``attempts`` tries; ``None`` when none is left."""
    delays = settings.WEBHOOKS_RETRY_DELAYS
    if attempts > len(delays):
        return None
    delay: float = delays[attempts - 1] * random.uniform(0.8, 1.2)  # jitter, not a secret
    if retry_after is not None:
        delay = max(delay, min(retry_after, settings.WEBHOOKS_RETRY_AFTER_MAX))
    return delay


def _retry_after_seconds(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)


def _post(target: Target, *, body: str, headers: dict[str, str]) -> Answer:
    """POST to the checked address, with the original host for the Host header and for TLS
    (SNI and certificate check); redirects are answers, not followed."""
    url = httpx.URL(target.url.geturl()).copy_with(host=str(target.address))
    timeout = httpx.Timeout(settings.WEBHOOKS_TIMEOUT, connect=min(5.0, settings.WEBHOOKS_TIMEOUT))
    request_headers = {
        **headers,
        "Host": target.url.netloc,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    limit = settings.WEBHOOKS_RESPONSE_EXCERPT
    # httpx's timeouts are per network operation: the body of a receiver that drips its
    # answer is read only until this deadline (its status has been given by then).
    deadline = time.monotonic() + settings.WEBHOOKS_TIMEOUT
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
            client.stream(
                "POST",
                url,
                content=body.encode(),
                headers=request_headers,
                extensions={"sni_hostname": target.hostname},
            ) as response,
        ):
            received = b""
            for chunk in response.iter_bytes():
                received += chunk
                if len(received) >= limit or time.monotonic() > deadline:
                    break
            return Answer(
                status=response.status_code,
                body=received[:limit].decode("utf-8", errors="replace"),
                retry_after=_retry_after_seconds(
                    response.headers.get("retry-after"), timezone.now()
                ),
            )
    except httpx.TimeoutException:
        return Answer(error="Timed out")
    except (httpx.HTTPError, OSError, ValueError) as error:
        # ValueError: a header or URL the client refuses. Recorded like a connection error,
        # so the row is never left "sending" for the sweeper to pick up again and again.
        return Answer(error=f"{type(error).__name__}: {error}"[:500])


def webhook_delivery_claim(*, delivery_id: int, now: datetime) -> bool:
    """Take one due, queued delivery of an active endpoint for this caller; False if not."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + _CLOCK_TOLERANCE)
    claimed = (
        WebhookDelivery.objects.filter(due, pk=delivery_id, status=WebhookDelivery.Status.QUEUED)
        .filter(endpoint__disabled_at__isnull=True)
        .update(status=WebhookDelivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )
    return claimed == 1


def webhook_delivery_send(*, delivery_id: int) -> SendResult:
    """Make one attempt at a delivery, if it is due and nobody else has it."""
    now = timezone.now()
    if not webhook_delivery_claim(delivery_id=delivery_id, now=now):
        return SendResult(delivery_id, Outcome.SKIPPED)
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = message_body(delivery)
    try:
        target = target_check(endpoint.url)
    except UnsafeTarget as refusal:
        answer = Answer(error=str(refusal))
    else:
        headers = signed_headers(
            secrets=endpoint.signing_secrets(now),
            message_id=delivery.message_id,
            sent_at=now,
            body=body,
        )
        answer = _post(target, body=body, headers=headers)
    return _record(delivery, answer)


def _record(delivery: WebhookDelivery, answer: Answer) -> SendResult:
    now = timezone.now()
    fields = {
        "response_status": answer.status,
        "response_body": answer.body,
        "last_error": answer.error,
        "updated_at": now,
    }
    endpoint = delivery.endpoint
    if answer.delivered:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.DELIVERED,
            delivered_at=now,
            next_attempt_at=None,
            **fields,
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(
            failing_since=None
        )
        return SendResult(delivery.pk, Outcome.DELIVERED)

    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    try:
        endpoint.refresh_from_db(fields=["failing_since"])
    except WebhookEndpoint.DoesNotExist:
        # Removed while this attempt was under way: its deliveries went with it.
        return SendResult(delivery.pk, Outcome.SKIPPED)
    retry_in = (
        retry_delay(attempts=delivery.attempts, retry_after=answer.retry_after)
        if answer.retryable
        else None
    )
    if retry_in is not None:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.QUEUED,
            next_attempt_at=now + timedelta(seconds=retry_in),
            **fields,
        )
    else:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, next_attempt_at=None, **fields
        )
    failing_for = now - (endpoint.failing_since or now)
    if answer.status == 410:
        webhook_endpoint_disable(endpoint=endpoint, reason="The endpoint answered 410 Gone.")
        return SendResult(delivery.pk, Outcome.FAILED)
    if failing_for >= timedelta(seconds=settings.WEBHOOKS_DISABLE_AFTER):
        webhook_endpoint_disable(
            endpoint=endpoint,
            reason=f"No message was accepted for {failing_for.days} days "
            f"{failing_for.seconds // 3600} hours.",
        )
        return SendResult(delivery.pk, Outcome.FAILED)
    if retry_in is not None:
        return SendResult(delivery.pk, Outcome.RETRY, retry_in=retry_in)
    return SendResult(delivery.pk, Outcome.FAILED)


def webhook_deliveries_due(*, now: datetime | None = None) -> list[int]:
    """Ids of deliveries to send now: retries that are due, and rows whose task was lost.

    A row ``sending`` for longer than ``WEBHOOKS_STUCK_AFTER`` (its worker died, or the
    broker lost its task) goes back to ``queued``; so does a ``queued`` row whose task never
    arrived (the broker was down at commit).
    """
    now = now or timezone.now()
    stuck_since = now - timedelta(seconds=settings.WEBHOOKS_STUCK_AFTER)
    stuck = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, updated_at__lt=stuck_since
    )
    # A row whose every attempt died with its worker is not tried forever.
    stuck.filter(attempts__gt=len(settings.WEBHOOKS_RETRY_DELAYS)).update(
        status=WebhookDelivery.Status.FAILED,
        last_error="The attempts stopped without an answer.",
        next_attempt_at=None,
        updated_at=now,
    )
    stuck.update(status=WebhookDelivery.Status.QUEUED, next_attempt_at=now, updated_at=now)
    due = (
        Q(next_attempt_at__lte=now + _CLOCK_TOLERANCE)
        # Never attempted and older than a stuck row would be: its task was lost.
        | Q(next_attempt_at__isnull=True, created_at__lt=stuck_since)
    )
    return list(
        WebhookDelivery.objects.filter(due, status=WebhookDelivery.Status.QUEUED)
        .filter(endpoint__disabled_at__isnull=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:_SWEEP_LIMIT]
    )
