"""/api/v1/events: list, read, create, update, publish, cancel.

Writes go through ``workspace.services.events``, as the workspace's forms do, so the audit
log records what each token did. A co-hosted event is listed and read like the token's own;
changing it needs the access the workspace's page for the same change needs
(docs/design.md, "Permissions").
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from api.auth import WRITE, request_token, write_token
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from api.problems import ApiProblem
from api.responses import READ_ERRORS, WRITE_ERRORS, problems
from api.schemas import (
    NOT_NULLABLE,
    EventIn,
    EventOut,
    EventPage,
    EventPatch,
    EventStatsOut,
    EventStatus,
    Instant,
)
from api.selectors import event_of_or_404, events_of
from events.models import Event
from events.services import event_snapshot, unique_event_slug
from workspace.selectors.events import EventAccess, event_registration_counts
from workspace.selectors.stats import attendance_stats
from workspace.services import events as event_services

router = Router(tags=["events"])

# What a change to one event answers.
EVENT_CHANGED = {200: EventOut, **problems(WRITE_ERRORS)}


class EventFilters(Schema):
    status: EventStatus | None = None
    starts_after: Instant | None = Field(None, description="Events starting at or after.")
    starts_before: Instant | None = Field(None, description="Events starting before.")
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get("/events", response={200: EventPage, **problems(READ_ERRORS)})
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, object]:
    """The organization's events, and those it co-hosts, by start time (drafts and cancelled
    ones included)."""
    token = request_token(request)
    events = events_of(
        token.organization,
        status=filters.status,
        starts_after=filters.starts_after,
        starts_before=filters.starts_before,
    )
    items, next_cursor = keyset_page(
        events, order_field="starts_at", cursor=filters.cursor, limit=filters.limit
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/events/{event_id}", response={200: EventOut, **problems(READ_ERRORS)})
def event_read(request: HttpRequest, event_id: int) -> Event:
    return event_of_or_404(request_token(request).organization, event_id, need=EventAccess.VIEW)


@router.post("/events", auth=WRITE, response={201: EventOut, **problems(WRITE_ERRORS)})
def event_create(request: HttpRequest, payload: EventIn) -> Status[Event]:
    """A new draft. It gets the default reminder rules (1 day and 1 hour before)."""
    token = write_token(request)
    event = Event(
        organization=token.organization,
        slug=unique_event_slug(payload.title),
        status=Event.Status.DRAFT,
        **payload.model_dump(),
    )
    event_services.event_create(actor=token, event=event, formsets={})
    return Status(201, event)


@router.patch("/events/{event_id}", auth=WRITE, response=EVENT_CHANGED)
def event_update(request: HttpRequest, event_id: int, payload: EventPatch) -> Event:
    """Change the fields sent. Registrants hear of a new time or place, as from the form."""
    token = write_token(request)
    # As workspace.views.events.event_edit.
    event = event_of_or_404(token.organization, event_id, need=EventAccess.EDIT)
    if event.is_cancelled:
        raise ApiProblem(409, "event_cancelled", _("A cancelled event cannot be edited."))
    changes = payload.model_dump(exclude_unset=True)
    nulls = sorted(
        field for field, value in changes.items() if value is None and field in NOT_NULLABLE
    )
    if nulls:
        raise ApiProblem(
            422,
            "validation_failed",
            "Some fields cannot be null.",
            errors=[{"location": "body", "field": f, "detail": "May not be null."} for f in nulls],
        )
    previous = event_snapshot(event)
    for field, value in changes.items():
        setattr(event, field, value)
    event_services.event_update(
        actor=token,
        event=event,
        previous=previous,
        changed_fields=sorted(changes),
        formsets={},
    )
    return event


@router.post(
    "/events/{event_id}/publish", auth=WRITE, response={200: EventOut, **problems(WRITE_ERRORS)}
)
def event_publish(request: HttpRequest, event_id: int) -> Event:
    """Open a draft for registration; refused (422) while it lacks a venue or join link.

    Only the event's own organization: a co-host gets 403 even when allowed to edit."""
    token = write_token(request)
    # As workspace.views.events.event_publish: the owning organization's decision.
    event = event_of_or_404(token.organization, event_id, need=EventAccess.OWN)
    if event.status != Event.Status.DRAFT:
        raise ApiProblem(409, "not_a_draft", _("Only a draft can be published."))
    return event_services.event_publish(actor=token, event=event)


@router.post(
    "/events/{event_id}/cancel", auth=WRITE, response={200: EventOut, **problems(WRITE_ERRORS)}
)
def event_cancel(request: HttpRequest, event_id: int) -> Event:
    """Cancel the event; registrants are told. Cancelling again changes nothing.

    Only the event's own organization: a co-host gets 403 even when allowed to edit."""
    token = write_token(request)
    # As workspace.views.events.event_cancel: the owning organization's decision.
    event = event_of_or_404(token.organization, event_id, need=EventAccess.OWN)
    return event_services.event_cancel(actor=token, event=event)


@router.get("/events/{event_id}/stats", response={200: EventStatsOut, **problems(READ_ERRORS)})
def event_stats(request: HttpRequest, event_id: int) -> dict[str, object]:
    """Registrations per status, check-ins, and attendance among the confirmed."""
    # As the statistics page (workspace.views.stats).
    event = event_of_or_404(request_token(request).organization, event_id, need=EventAccess.VIEW)
    counts = event_registration_counts(event)
    return {
        "pending": counts["pending_count"],
        "confirmed": counts["confirmed_count"],
        "waitlisted": counts["waitlisted_count"],
        "cancelled": counts["cancelled_count"],
        "checked_in": counts["checked_in_count"],
        "attendance": attendance_stats(event),
    }
