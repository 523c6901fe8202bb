"""Reads for the public event pages."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from events.models import (
    CoHost,
    Event,
    EventQuerySet,
    EventTranslation,
    Organization,
    OrganizationSlugRedirect,
    Question,
    QuestionTranslation,
)


def events_upcoming() -> QuerySet[Event]:
    return (
        Event.objects.published()
        .upcoming()
        .select_related("organization")
        .prefetch_related("translations")
        .order_by("starts_at")
    )


def events_past() -> QuerySet[Event]:
    return (
        Event.objects.published()
        .past()
        .select_related("organization")
        .prefetch_related("translations")
        .order_by("-starts_at")
    )


def accepted_cohosts() -> Prefetch:
    """Prefetch an event's accepted co-hosts, with their organizations, as ``public_cohosts``."""
    return Prefetch(
        "cohosts",
        queryset=CoHost.objects.filter(
            status=CoHost.Status.ACCEPTED, organization__status=Organization.Status.ACTIVE
        ).select_related("organization"),
        to_attr="public_cohosts",
    )


def event_cohost_names(event: "Event | EventInLanguage") -> list[str]:
    """The names of the organizations that accepted to co-host ``event``, first come first.

    One query; the emails of a batch ask once per event (``notifications.rendering``).
    """
    return list(
        CoHost.objects.filter(event_id=event.pk, status=CoHost.Status.ACCEPTED)
        .order_by("created_at", "id")
        .values_list("organization__name", flat=True)
    )


def event_hosted_by(event: "Event | EventInLanguage", cohost_names: list[str]) -> str:
    """ "Shahrzad Books and Voices" for a co-hosted event, in the active language; "" if none."""
    if not cohost_names:
        return ""
    return get_text_list([event.organization.name, *cohost_names], _("and"))


def event_public(*, slug: str) -> Event | None:
    """A published or cancelled event by slug (drafts are not public)."""
    return (
        Event.objects.published()
        .select_related("organization")
        .prefetch_related("cosponsors", "speakers", "questions", "translations", accepted_cohosts())
        .filter(slug=slug)
        .first()
    )


# --- Organizations' public pages and feeds --------------------------------------------------

# A cancelled event stays in an organization's calendar feed this long, with STATUS:CANCELLED,
# so calendars that subscribed take it out rather than keep a stale entry.
FEED_KEEPS_CANCELLED = timedelta(days=30)
# Past events stay in the feed this long, so a subscribed calendar keeps its history.
FEED_KEEPS_PAST = timedelta(days=365)
ORGANIZATION_PAGE_PAST_EVENTS = 20


def organization_public(*, slug: str) -> Organization | None:
    """An active organization by its current slug (waiting or declined ones are not public)."""
    return Organization.objects.filter(slug=slug, status=Organization.Status.ACTIVE).first()


def organization_renamed_slug(*, old_slug: str) -> str | None:
    """The current slug of an active organization that was once ``old_slug``."""
    return (
        OrganizationSlugRedirect.objects.filter(
            old_slug=old_slug, organization__status=Organization.Status.ACTIVE
        )
        .values_list("organization__slug", flat=True)
        .first()
    )


def organization_events(organization: Organization) -> EventQuerySet:
    """The events an organization's public page and feeds list: its own and those it
    co-hosts."""
    cohosted = CoHost.objects.filter(
        organization=organization, status=CoHost.Status.ACCEPTED
    ).values_list("event_id", flat=True)
    return (
        Event.objects.published()
        .filter(Q(organization=organization) | Q(pk__in=cohosted))
        .select_related("organization")
    )


def organization_events_upcoming(organization: Organization) -> QuerySet[Event]:
    # The page shows each event in the reader's language (event_in_language).
    return (
        organization_events(organization)
        .upcoming()
        .prefetch_related("translations")
        .order_by("starts_at", "id")
    )


def organization_events_past(organization: Organization) -> QuerySet[Event]:
    return (
        organization_events(organization)
        .past()
        .prefetch_related("translations")
        .order_by("-starts_at", "-id")
    )


def organization_feed_events(
    organization: Organization, *, now: datetime | None = None
) -> QuerySet[Event]:
    """What the calendar feed carries: published events from the last year on, and cancelled
    ones for 30 days after their cancellation."""
    now = now or timezone.now()
    return (
        organization_events(organization)
        .filter(ends_at__gt=now - FEED_KEEPS_PAST)
        .filter(
            Q(status=Event.Status.PUBLISHED)
            | Q(status=Event.Status.CANCELLED, cancelled_at__gt=now - FEED_KEEPS_CANCELLED)
        )
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class FeedVersion:
    """What a conditional GET compares: changes whenever the feed's content would."""

    etag: str
    last_modified: datetime | None


def organization_feed_version(organization: Organization, *, language: str) -> FeedVersion:
    """One aggregate query: the number of events in the feed, their latest change and the
    sum of their SEQUENCEs, with the organization's own last change and the language."""
    summary = (
        organization_feed_events(organization)
        .order_by()
        .aggregate(count=Count("id"), changed=Max("updated_at"), sequences=Sum("feed_sequence"))
    )
    changed = max(
        (moment for moment in (summary["changed"], organization.updated_at) if moment),
        default=None,
    )
    fingerprint = "|".join(
        str(part)
        for part in (
            organization.pk,
            organization.slug,
            organization.updated_at.isoformat(),
            summary["count"],
            summary["changed"].isoformat() if summary["changed"] else "",
            summary["sequences"] or 0,
            language,
        )
    )
    return FeedVersion(
        etag=hashlib.sha256(fingerprint.encode()).hexdigest()[:32], last_modified=changed
    )


# --- An event's text in a reader's language ---------------------------------------------------

# What an organizer may give in each language (docs/design.md, "Languages").
TRANSLATED_EVENT_FIELDS = (
    "title",
    "description",
    "venue_name",
    "venue_address",
    "joining_instructions",
)


def event_base_language(event: Event) -> str:
    """The language the event's own text is written in."""
    return event.language or event.organization.language


class EventInLanguage:
    """An event as a reader of ``language`` sees it: each text field in that language where
    the organizer gave it, else the event's own text; every other attribute is the event's.

    Templates take it in place of the event, so every page and email shows the same text
    from one place. It has no ``save``: the translated text can never be written back.
    """

    def __init__(self, event: Event, *, language: str, row: EventTranslation | None) -> None:
        self.event = event
        self.language = language
        self.base_language = event_base_language(event)
        texts: dict[str, str] = {}
        languages: dict[str, str] = {}
        for field in TRANSLATED_EVENT_FIELDS:
            translated = getattr(row, field, "") if row is not None else ""
            if translated.strip():
                texts[field], languages[field] = translated, language
            else:
                texts[field], languages[field] = getattr(event, field), self.base_language
        self.texts = texts
        # The language each field is shown in: templates set ``lang`` on it.
        self.languages = languages

    def __getattr__(self, name: str) -> Any:
        # Only called for names not set above: the event's own fields, properties, methods.
        if name.startswith("__") or name == "event":
            raise AttributeError(name)
        if name in TRANSLATED_EVENT_FIELDS:
            return self.texts[name]
        return getattr(self.event, name)

    def __str__(self) -> str:
        return self.texts["title"]

    @property
    def text_language(self) -> str:
        """The language the title and description are shown in."""
        if self.texts["description"].strip():
            return self.languages["description"]
        return self.languages["title"]

    @property
    def fell_back(self) -> bool:
        """Whether the reader sees the title or description in another language than theirs:
        the page says so."""
        return self.text_language != self.language

    @property
    def text_language_name(self) -> str:
        """The text's language, named in the active language ("English", «انگلیسی»)."""
        return str(translation.get_language_info(self.text_language)["name_translated"])


def _translation_of(event: Event, language: str) -> EventTranslation | None:
    """The event's translation into ``language``: from the prefetched rows if the selector
    that read the event prefetched ``translations`` (lists), else one query."""
    prefetched = getattr(event, "_prefetched_objects_cache", {})
    if "translations" in prefetched:
        return next((row for row in event.translations.all() if row.language == language), None)
    return EventTranslation.objects.filter(event=event, language=language).first()


def event_in_language(event: Event, *, language: str | None = None) -> EventInLanguage:
    """The event's text for a reader of ``language`` (default: the active language), each
    field falling back to the event's own text when it has no translation."""
    language = language or translation.get_language() or event_base_language(event)
    if language == event_base_language(event):
        return EventInLanguage(event, language=language, row=None)
    return EventInLanguage(event, language=language, row=_translation_of(event, language))


@dataclass(frozen=True)
class QuestionText:
    """A question as a reader sees it: its label, and its choices as (stored, shown) pairs.

    The stored value is always the question's own choice, so exports and counts read the
    same whatever language a person registered in.
    """

    label: str
    choices: list[tuple[str, str]]
    language: str


def question_texts(
    *, event: Event, questions: Iterable[Question], language: str
) -> dict[int, QuestionText]:
    """Each of ``event``'s questions as a reader of ``language`` sees it, by question id.

    A label or choice list without a translation is the question's own. A translated list
    is used only when it has as many lines as the question's own (the workspace form
    insists; a question edited since then shows its own choices rather than wrong ones).
    One query, none when the event is written in ``language``.
    """
    questions = list(questions)
    base_language = event_base_language(event)
    translations: dict[int, QuestionTranslation] = {}
    if questions and language != base_language:
        translations = {
            row.question_id: row
            for row in QuestionTranslation.objects.filter(
                question_id__in=[question.pk for question in questions], language=language
            )
        }
    texts = {}
    for question in questions:
        own = question.choice_list
        label, label_language, shown = question.label, base_language, own
        row = translations.get(question.pk)
        if row is not None:
            if row.label.strip():
                label, label_language = row.label, language
            if len(row.choice_list) == len(own):
                shown = row.choice_list
        texts[question.pk] = QuestionText(
            label=label, choices=list(zip(own, shown, strict=True)), language=label_language
        )
    return texts
