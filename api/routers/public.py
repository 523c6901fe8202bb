"""/api/v1/public: what anyone may read without a token, limited per client address."""

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from api.auth import check_public_rate_limit
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from api.responses import problems
from api.schemas import Instant, PublicEventPage
from api.selectors import public_events_of_or_404

router = Router(tags=["public"], auth=None)


class PublicEventFilters(Schema):
    starts_after: Instant | None = Field(None, description="Events starting at or after.")
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "/public/organizations/{slug}/events",
    response={200: PublicEventPage, **problems(frozenset({404, 422, 429}))},
)
def public_event_list(
    request: HttpRequest,
    filters: Query[PublicEventFilters],
    slug: str = Path(..., pattern=r"^[-a-zA-Z0-9_]+$", max_length=80),
) -> dict[str, object]:
    """An organization's published events by start time: no join links, no registrants."""
    check_public_rate_limit(request)
    events = public_events_of_or_404(slug)
    if filters.starts_after is not None:
        events = events.filter(starts_at__gte=filters.starts_after)
    items, next_cursor = keyset_page(
        events, order_field="starts_at", cursor=filters.cursor, limit=filters.limit
    )
    return {"items": items, "next_cursor": next_cursor}
