"""The API's reads, each scoped to one organization: another organization's rows are 404.

An event is reached through the workspace's own selector (``event_for_organization_or_404``),
so a token of a co-host organization reaches a co-hosted event exactly as that
organization's members do in the workspace (docs/design.md, "Permissions"): each route
states the access it needs, as the workspace view doing the same thing does.
"""

from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from events.models import Event, Organization, Question
from events.selectors import organization_events, organization_public
from notifications.models import ReminderRule
from registrations.models import Registration
from workspace.selectors.events import (
    EventAccess,
    event_for_organization_or_404,
    events_for_organization,
)


def events_of(
    organization: Organization,
    *,
    status: str | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
) -> QuerySet[Event]:
    """The organization's events and those it co-hosts; each event's other languages in one
    query for the page, not one per event."""
    events = events_for_organization(organization).prefetch_related("translations")
    if status:
        events = events.filter(status=status)
    if starts_after is not None:
        events = events.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        events = events.filter(starts_at__lt=starts_before)
    return events


def event_of_or_404(organization: Organization, event_id: int, *, need: EventAccess) -> Event:
    """The event if the organization may ``need`` it: 404 for a stranger, 403 for a co-host
    short of it. ``need`` has no default: every route says, as the workspace's views do."""
    return event_for_organization_or_404(organization, event_id, need=need)


def public_events_of_or_404(slug: str) -> QuerySet[Event]:
    """What the organization's public page lists: its published events and those it
    co-hosts (cancelled ones included, never drafts); 404 for an organization that is not
    public (unknown, or still awaiting approval)."""
    organization = organization_public(slug=slug)
    if organization is None:
        raise Http404("No such organization.")
    return organization_events(organization)


def registrations_of(
    event: Event, *, status: str | None = None, updated_since: datetime | None = None
) -> QuerySet[Registration]:
    # The event comes along: each registration's attendance depends on whether it is over.
    registrations = Registration.objects.filter(event=event).select_related("event")
    if status:
        registrations = registrations.filter(status=status)
    if updated_since is not None:
        registrations = registrations.filter(updated_at__gte=updated_since)
    return registrations


def registration_of_or_404(event: Event, registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_related("event", "event__organization")
        .filter(event=event, pk=registration_id)
        .first()
    )
    if registration is None:
        raise Http404("No such registration.")
    return registration


def question_of_or_404(event: Event, question_id: int) -> Question:
    question = Question.objects.filter(event=event, pk=question_id).first()
    if question is None:
        raise Http404("No such question.")
    return question


# The rules /reminder-rules shows and changes: reminders before the event. Follow-ups after
# it are /follow-ups (api.routers.follow_ups), as they have their own page in the workspace.
REMINDER_KINDS = (ReminderRule.Kind.BEFORE_START, ReminderRule.Kind.DAY_BEFORE_AT)


def reminder_rules_of(event: Event) -> QuerySet[ReminderRule]:
    return ReminderRule.objects.filter(event=event, kind__in=REMINDER_KINDS).order_by("id")


def reminder_rule_of_or_404(event: Event, rule_id: int) -> ReminderRule:
    rule = reminder_rules_of(event).filter(pk=rule_id).first()
    if rule is None:
        raise Http404("No such reminder rule.")
    return rule
