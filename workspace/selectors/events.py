"""Every workspace read is scoped to the signed-in user's memberships, and every API read
to the token's organization, by the same rules.

See docs/design.md, "Permissions": a stranger gets 404, never a hint that a thing exists.
"""

from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from config.languages import language_choices
from events.models import (
    CoHost,
    Event,
    EventTranslation,
    Membership,
    Organization,
    Question,
    QuestionTranslation,
)
from events.selectors import event_base_language
from registrations.models import Registration


class EventAccess(IntEnum):
    """What a member may do with an event (docs/design.md, "Permissions").

    ``VIEW``: a co-host's member: the overview, attendee list, exports, check-in, statistics.
    ``EDIT``: a co-host the owner let edit: also the settings, registrations and messages.
    ``OWN``: a member of the event's own organization: everything, publishing and cancelling
    the event, privacy requests and duplicating included.
    """

    VIEW = 1
    EDIT = 2
    OWN = 3


def _member_organization_ids(user: User) -> QuerySet[Membership, int]:
    return Membership.objects.filter(user=user).values_list("organization_id", flat=True)


def _events_for_organizations(organization_ids: Iterable[int]) -> QuerySet[Event]:
    """The events of these organizations, and those they co-host (accepted).

    Subqueries, not joins, so an event is listed once however it is reached.
    """
    cohosted = CoHost.objects.filter(
        status=CoHost.Status.ACCEPTED, organization_id__in=organization_ids
    ).values_list("event_id", flat=True)
    return Event.objects.filter(
        Q(organization_id__in=organization_ids) | Q(pk__in=cohosted)
    ).select_related("organization")


def _access(event: Event, *, owns: bool, organization_ids: Iterable[int]) -> EventAccess | None:
    """The one rule: the event's own organization owns it; an accepted co-host may edit if
    the owner let it, else view; anyone else is a stranger (None)."""
    if owns:
        return EventAccess.OWN
    cohost = (
        CoHost.objects.filter(
            event=event, status=CoHost.Status.ACCEPTED, organization_id__in=organization_ids
        )
        .order_by("-can_edit")
        .first()
    )
    if cohost is None:
        return None
    return EventAccess.EDIT if cohost.can_edit else EventAccess.VIEW


def _event_needing_or_404(
    event: Event | None, access: Callable[[Event], EventAccess | None], need: EventAccess
) -> Event:
    if event is None:
        raise Http404("No such event.")
    granted = access(event)
    if granted is None:
        raise Http404("No such event.")
    if granted < need:
        raise PermissionDenied(_("Your organization co-hosts this event and may not do this."))
    return event


def events_for_member(user: User) -> QuerySet[Event]:
    """The events of the user's organizations, and those their organizations co-host."""
    return _events_for_organizations(_member_organization_ids(user))


def event_access(user: User, event: Event) -> EventAccess | None:
    """How far the user may go with ``event``; None for a stranger."""
    organization_ids = _member_organization_ids(user)
    owns = organization_ids.filter(organization_id=event.organization_id).exists()
    return _access(event, owns=owns, organization_ids=organization_ids)


def event_for_member_or_404(
    user: User, event_id: int, *, need: EventAccess = EventAccess.OWN
) -> Event:
    """The event if the user may ``need`` it; 404 for a stranger, never a hint.

    A co-host's member who may see the event but not do this gets 403: they know it exists.
    The default asks the most, so a page that forgets to say stays closed to co-hosts.
    """
    event = events_for_member(user).filter(pk=event_id).first()
    return _event_needing_or_404(event, lambda found: event_access(user, found), need)


# The same rules for an organization acting as itself: an API token (docs/design.md, "The
# API"). A token of a co-host reaches the co-hosted event exactly as its members do.


def events_for_organization(organization: Organization) -> QuerySet[Event]:
    """The organization's events and those it co-hosts."""
    return _events_for_organizations([organization.pk])


def event_access_for_organization(organization: Organization, event: Event) -> EventAccess | None:
    return _access(
        event, owns=event.organization_id == organization.pk, organization_ids=[organization.pk]
    )


def event_for_organization_or_404(
    organization: Organization, event_id: int, *, need: EventAccess = EventAccess.OWN
) -> Event:
    """``event_for_member_or_404`` for an organization: 404 for a stranger, 403 for a
    co-host short of ``need``."""
    event = events_for_organization(organization).filter(pk=event_id).first()
    return _event_needing_or_404(
        event, lambda found: event_access_for_organization(organization, found), need
    )


def _registration_counts(prefix: str = "") -> dict[str, Count]:
    """Count expressions per status; ``prefix`` reaches registrations through a relation."""
    status, checked_in = f"{prefix}status", f"{prefix}checked_in_at__isnull"
    target = prefix.rstrip("_") or "pk"
    return {
        "confirmed_count": Count(target, filter=Q(**{status: Registration.Status.CONFIRMED})),
        "waitlisted_count": Count(target, filter=Q(**{status: Registration.Status.WAITLISTED})),
        "pending_count": Count(target, filter=Q(**{status: Registration.Status.PENDING})),
        "cancelled_count": Count(target, filter=Q(**{status: Registration.Status.CANCELLED})),
        "checked_in_count": Count(
            target, filter=Q(**{status: Registration.Status.CONFIRMED, checked_in: False})
        ),
    }


def events_with_counts_for_member(user: User) -> QuerySet[Event]:
    """The member's events with registration counts per status, in one grouped query."""
    return events_for_member(user).annotate(**_registration_counts("registrations__"))


def event_registration_counts(event: Event) -> dict[str, int]:
    return Registration.objects.filter(event=event).aggregate(**_registration_counts())


def cohosting_organizations_by_event(user: User) -> dict[int, list[int]]:
    """Event id → the user's organizations that co-host it (accepted), for the home page."""
    rows = CoHost.objects.filter(
        status=CoHost.Status.ACCEPTED, organization_id__in=_member_organization_ids(user)
    ).values_list("event_id", "organization_id")
    found: dict[int, list[int]] = {}
    for event_id, organization_id in rows:
        found.setdefault(event_id, []).append(organization_id)
    return found


def cohost_invitations_for_owner(user: User) -> QuerySet[CoHost]:
    """Open invitations to co-host, addressed to organizations the user owns."""
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER).values_list(
        "organization_id", flat=True
    )
    return CoHost.objects.filter(
        status=CoHost.Status.INVITED, organization_id__in=owned
    ).select_related("event", "event__organization", "organization")


def event_abilities(user: User, event: Event) -> dict[str, bool]:
    """For templates: whether to offer the event's edit actions and its own-only ones."""
    access = event_access(user, event) or EventAccess.VIEW
    return {"may_edit": access >= EventAccess.EDIT, "owns": access == EventAccess.OWN}


class EventTranslationDraft(NamedTuple):
    """What the translation page edits: the row (new if there is none yet), the event's
    questions, and their rows in that language by question id."""

    translation: EventTranslation
    questions: list[Question]
    question_translations: dict[int, QuestionTranslation]


def event_translation_languages(event: Event) -> list[tuple[str, str]]:
    """The site's languages other than the event's own, as (code, name in itself)."""
    own = event_base_language(event)
    return [(code, name) for code, name in language_choices() if code != own]


def event_translation_draft(event: Event, *, language: str) -> EventTranslationDraft:
    translation = EventTranslation.objects.filter(event=event, language=language).first()
    questions = list(event.questions.all())
    rows = QuestionTranslation.objects.filter(question__event=event, language=language)
    return EventTranslationDraft(
        translation or EventTranslation(event=event, language=language),
        questions,
        {row.question_id: row for row in rows},
    )
