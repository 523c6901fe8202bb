"""Writes to events. Other apps react through the facts published here."""

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.facts import EventCancelled, EventChanged, EventCreated
from events.lifecycle import publish
from events.models import (
    QUESTION_CONTENT_FIELDS,
    RESERVED_EVENT_SLUGS,
    CoSponsor,
    Event,
    EventTranslation,
    Organization,
    Question,
    QuestionTranslation,
    Speaker,
)
from events.multiline import normalize_multiline
from events.timezones import local_to_utc, utc_to_local

# Fields whose change registrants (and their calendars) must hear about, plus capacity,
# whose increase promotes the waitlist.
WATCHED_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "kind",
    "venue_name",
    "venue_address",
    "join_url",
    "joining_instructions",
    "capacity",
    "status",
    "quiet_hours_enabled",
    "quiet_hours_start",
    "quiet_hours_end",
)
# Of those, what the public calendar feed shows (notifications.invites.event_feed).
FEED_FIELDS = frozenset(
    {"title", "starts_at", "ends_at", "kind", "venue_name", "venue_address", "status"}
)


def event_snapshot(event: Event) -> dict[str, object]:
    """The watched fields as they are now; pass it back to ``event_save`` after editing."""
    return {field: getattr(event, field) for field in WATCHED_FIELDS}


def _differs(old: object, new: object) -> bool:
    """Text that differs only in line breaks or surrounding whitespace is the same text:
    forms store it normalized (events.forms.MultilineTextField), rows may hold it raw."""
    if isinstance(old, str) and isinstance(new, str):
        return normalize_multiline(old) != normalize_multiline(new)
    return old != new


def event_save(
    *, event: Event, previous: dict[str, object] | None = None, cancellation_message: str = ""
) -> Event:
    """Save a new or edited event and tell the other apps what changed.

    ``cancellation_message`` goes with the cancellation, if this save is one (event_cancel).
    The event row is locked so the seat counter is never overwritten with a stale value and
    capacity is never set below the seats already taken.
    """
    with transaction.atomic():
        created = event.pk is None
        changed: dict[str, object] = {}
        if previous is not None:
            changed = {
                field: old
                for field, old in previous.items()
                if _differs(old, getattr(event, field))
            }
        if not created:
            current = (
                Event.objects.select_for_update()
                .only("seats_taken", "feed_sequence")
                .get(pk=event.pk)
            )
            event.seats_taken = current.seats_taken
            event.feed_sequence = current.feed_sequence + bool(FEED_FIELDS & changed.keys())
            if event.capacity is not None and event.capacity < event.seats_taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "%(taken)d people are already confirmed; capacity cannot be lower."
                        )
                        % {"taken": event.seats_taken}
                    }
                )
        if event.is_cancelled and event.cancelled_at is None:
            event.cancelled_at = timezone.now()
        if not event.language:
            # The organization's language, unless the organizer said otherwise.
            event.language = event.organization.language
        event.full_clean()
        event.save()
        if created:
            publish(EventCreated(event=event))
        elif previous is not None:
            if changed.get("status") is not None and event.is_cancelled:
                publish(
                    EventCancelled(
                        event=event, cancelled_at=timezone.now(), message=cancellation_message
                    )
                )
            elif changed:
                publish(EventChanged(event=event, previous=changed))
    return event


def event_cancel(*, event: Event, message: str = "") -> Event:
    """Cancel an event; registrants are told by the apps that listen, with ``message`` (the
    organizers' words, plain text) in their email. A no-op if already so."""
    if event.is_cancelled:
        return event
    previous = event_snapshot(event)
    event.status = Event.Status.CANCELLED
    return event_save(event=event, previous=previous, cancellation_message=message.strip())


def unique_event_slug(title: str, *, fallback: str = "event", exclude_id: int | None = None) -> str:
    """A free slug made from the title; titles without Latin letters use ``fallback``.

    Reserved addresses (``/events/past/``) are never free: "Past" becomes ``past-2``.
    """
    max_length = Event._meta.get_field("slug").max_length or 220
    base = (slugify(title) or slugify(fallback) or "event")[: max_length - 8].strip("-")
    similar = Event.objects.filter(slug__startswith=base)
    if exclude_id is not None:
        similar = similar.exclude(pk=exclude_id)
    taken = set(similar.values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken or candidate in RESERVED_EVENT_SLUGS:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def event_publication_problems(event: Event) -> dict[str, str]:
    """What a published event must have, by field; empty when it is ready."""
    problems: dict[str, str] = {}
    if event.has_venue and not event.venue_name.strip():
        problems["venue_name"] = _("In-person and hybrid events need a venue.")
    if event.is_online and not event.join_url:
        problems["join_url"] = _("Online events need a join link.")
    return problems


def event_publish(*, event: Event) -> Event:
    """Open a draft for registration once it has what attendees need."""
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event has already ended; change its dates first."))
    problems = event_publication_problems(event)
    if problems:
        raise ValidationError(problems)
    previous = event_snapshot(event)
    event.status = Event.Status.PUBLISHED
    return event_save(event=event, previous=previous)


def _wall_clock_shifter(event: Event, new_start: datetime) -> Callable[[datetime], datetime]:
    """Move a time of ``event`` so it keeps its wall-clock distance from the new start."""
    old_start_local = utc_to_local(event.starts_at, event.time_zone)
    new_start_local = utc_to_local(new_start, event.time_zone)

    def shift(moment: datetime) -> datetime:
        offset = utc_to_local(moment, event.time_zone) - old_start_local
        return local_to_utc(new_start_local + offset, event.time_zone, strict=False)

    return shift


def event_duplicate(*, event: Event, title: str, starts_at: datetime) -> Event:
    """A draft copy with its speakers, co-sponsors and questions, starting at ``starts_at``.

    The end and the registration window keep their wall-clock distance from the start in the
    event's zone, so "19:00-21:00, registration closes at noon" stays so across a DST change.
    Reminder rules belong to notifications; the caller copies them.
    """
    shift = _wall_clock_shifter(event, starts_at)
    opens_at, closes_at = event.registration_opens_at, event.registration_closes_at
    copy = Event(
        organization=event.organization,
        title=title,
        slug=unique_event_slug(title, fallback=event.slug),
        kind=event.kind,
        description=event.description,
        starts_at=starts_at,
        ends_at=shift(event.ends_at),
        time_zone=event.time_zone,
        venue_name=event.venue_name,
        venue_address=event.venue_address,
        join_url=event.join_url,
        joining_instructions=event.joining_instructions,
        capacity=event.capacity,
        registration_opens_at=shift(opens_at) if opens_at else None,
        registration_closes_at=shift(closes_at) if closes_at else None,
        approval_required=event.approval_required,
        status=Event.Status.DRAFT,
        language=event.language,
    )
    with transaction.atomic():
        event_save(event=copy)
        CoSponsor.objects.bulk_create(
            CoSponsor(event=copy, name=sponsor.name, url=sponsor.url, position=sponsor.position)
            for sponsor in event.cosponsors.all()
        )
        Speaker.objects.bulk_create(
            Speaker(event=copy, name=speaker.name, bio=speaker.bio, position=speaker.position)
            for speaker in event.speakers.all()
        )
        questions = list(event.questions.prefetch_related("translations"))
        copied_questions = Question.objects.bulk_create(
            Question(
                event=copy, **{name: getattr(question, name) for name in QUESTION_CONTENT_FIELDS}
            )
            for question in questions
        )
        # Its text in other languages comes along as it was (the organizer retitles it).
        EventTranslation.objects.bulk_create(
            EventTranslation(
                event=copy,
                language=translation.language,
                title=translation.title,
                description=translation.description,
                venue_name=translation.venue_name,
                venue_address=translation.venue_address,
                joining_instructions=translation.joining_instructions,
            )
            for translation in event.translations.all()
        )
        QuestionTranslation.objects.bulk_create(
            QuestionTranslation(
                question=copied, language=row.language, label=row.label, choices=row.choices
            )
            for question, copied in zip(questions, copied_questions, strict=True)
            for row in question.translations.all()
        )
    return copy


def event_translation_save(
    *,
    event: Event,
    language: str,
    texts: dict[str, str],
    question_texts: dict[int, tuple[str, str]],
) -> EventTranslation:
    """Write ``event``'s text in ``language``: ``texts`` by field (events.selectors
    TRANSLATED_EVENT_FIELDS), ``question_texts`` as (label, choices) by question id.

    An empty field shows the event's own text (docs/design.md, "Languages"). The event's
    ``updated_at`` is touched, so the event page's cached copies (keyed by it) show the new
    text at once.
    """
    with transaction.atomic():
        translation = EventTranslation.objects.filter(event=event, language=language).first()
        translation = translation or EventTranslation(event=event, language=language)
        for field, value in texts.items():
            setattr(translation, field, value)
        translation.full_clean()
        translation.save()
        questions = {question.pk: question for question in event.questions.all()}
        for question_id, (label, choices) in question_texts.items():
            question = questions[question_id]  # a question of another event is a KeyError
            row = QuestionTranslation.objects.filter(question=question, language=language).first()
            row = row or QuestionTranslation(question=question, language=language)
            row.label, row.choices = label, choices
            row.full_clean()
            row.save()
        Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
    return translation


def organizations_review(*, organizations: "QuerySet[Organization]", approve: bool) -> int:
    """A site admin approves or declines organizations waiting under ``approval`` creation.

    Only waiting ones change: an active organization is never declined by a stray click.
    """
    status = Organization.Status.ACTIVE if approve else Organization.Status.DECLINED
    return organizations.filter(status=Organization.Status.PENDING).update(status=status)
