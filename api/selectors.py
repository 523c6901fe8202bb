"""The API's reads, each scoped to one organization: another organization's rows are 404."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from events.models import Event, Organization, Question
from notifications.models import ReminderRule
from registrations.models import Registration


def events_of(
    organization: Organization,
    *,
    status: str | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
) -> QuerySet[Event]:
    # The API shows each event's other languages; one query for the page, not one per event.
    events = (
        Event.objects.filter(organization=organization)
        .select_related("organization")
        .prefetch_related("translations")
    )
    if status:
        events = events.filter(status=status)
    if starts_after is not None:
        events = events.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        events = events.filter(starts_at__lt=starts_before)
    return events


def event_of_or_404(organization: Organization, event_id: int) -> Event:
    event = Event.objects.filter(organization=organization, pk=event_id).first()
    if event is None:
        raise Http404("No such event.")
    return event


def public_events_of_or_404(slug: str) -> QuerySet[Event]:
    """An organization's published events (cancelled ones included, never drafts)."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404("No such organization.")
    return Event.objects.published().filter(organization=organization)


def registrations_of(
    event: Event, *, status: str | None = None, updated_since: datetime | None = None
) -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event)
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


# The rules the API shows and changes: reminders before the event, not follow-ups after it.
REMINDER_KINDS = (ReminderRule.Kind.BEFORE_START, ReminderRule.Kind.DAY_BEFORE_AT)


def reminder_rules_of(event: Event) -> QuerySet[ReminderRule]:
    return ReminderRule.objects.filter(event=event, kind__in=REMINDER_KINDS).order_by("id")


def reminder_rule_of_or_404(event: Event, rule_id: int) -> ReminderRule:
    rule = reminder_rules_of(event).filter(pk=rule_id).first()
    if rule is None:
        raise Http404("No such reminder rule.")
    return rule
