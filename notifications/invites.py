"""Calendar invites (.ics): one stable UID per registration, a SEQUENCE that only rises.

What mail clients need (RFC 5545 / RFC 5546; docs/design.md, "Calendar invites"):
- ``METHOD:REQUEST`` with ORGANIZER and the registrant as ATTENDEE puts the event in the
  registrant's calendar; a later REQUEST with the same UID and a higher SEQUENCE moves it;
  ``METHOD:CANCEL`` with the same UID, a higher SEQUENCE and ``STATUS:CANCELLED`` removes it.
- DTSTART/DTEND are written in UTC (``...Z``) with no VTIMEZONE: icalendar 7.3.2's generated
  VTIMEZONE puts Europe/Berlin's DST start an hour late and uses RDATE lists that Outlook is
  reported to shift. An instant in UTC is unambiguous; every client shows it in local time.
- Public downloads use ``METHOD:PUBLISH`` without ATTENDEE and never carry the join link.
- One-line values (title, location, names) pass through ``events.text.one_line``: text stored
  before those fields refused control characters must not break the file.

The SEQUENCE lives in ``RegistrationInvite`` and is raised in the transaction of the change
that caused it; the outbox row stores the number, so re-sending a row renders the same invite.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from events.models import Event, Organization
from events.selectors import EventInLanguage, event_in_language
from events.text import one_line
from notifications.message_ids import message_id_domain
from notifications.models import RegistrationInvite
from registrations.models import Registration

PRODID = "-//Convene//Convene events//EN"
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
METHOD_PUBLISH = "PUBLISH"
# How outbox rows name the invite they carry (row.context["invite"]).
INVITE_REQUEST = "request"
INVITE_CANCEL = "cancel"

_IN_CLAUSE_CHUNK = 1000


# --- SEQUENCE -------------------------------------------------------------------------------


def invite_sequence_start(*, registration: Registration) -> int:
    """The SEQUENCE for a registration's first invite: 0, or one higher if it had one before.

    One upsert rather than ``get_or_create`` (SELECT, SAVEPOINT, INSERT, RELEASE): every
    confirmed registration pays for this inside the event's busiest transaction. On a
    conflict the existing row is locked and raised, as ``invite_sequence_bump`` would.
    """
    table = connection.ops.quote_name(RegistrationInvite._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (registration_id, sequence) VALUES (%s, 0) "  # noqa: S608
            f"ON CONFLICT (registration_id) DO UPDATE SET sequence = {table}.sequence + 1 "
            "RETURNING sequence",
            [registration.pk],
        )
        (sequence,) = cursor.fetchone()
    return int(sequence)


def invite_sequence_current(*, registration: Registration) -> int:
    """The SEQUENCE of the invite last sent (0 if none yet): for re-sending it unchanged."""
    invite, _created = RegistrationInvite.objects.get_or_create(registration=registration)
    return invite.sequence


def invite_sequence_sent(*, registration: Registration) -> int:
    """The SEQUENCE of the invite last sent, read only (0 if none yet): for a download."""
    sequence = (
        RegistrationInvite.objects.filter(registration=registration)
        .values_list("sequence", flat=True)
        .first()
    )
    return sequence or 0


def invite_sequence_bump(*, registration: Registration) -> int:
    """Raise the SEQUENCE after a change of time, place or status; call inside that change."""
    return invite_sequences_bump(registration_ids=[registration.pk])[registration.pk]


def invite_sequences_bump(*, registration_ids: Iterable[int]) -> dict[int, int]:
    """Raise the SEQUENCE of many registrations at once; returns the new number of each."""
    ids = list(registration_ids)
    sequences: dict[int, int] = {}
    for start in range(0, len(ids), _IN_CLAUSE_CHUNK):
        chunk = ids[start : start + _IN_CLAUSE_CHUNK]
        RegistrationInvite.objects.bulk_create(
            [RegistrationInvite(registration_id=pk) for pk in chunk], ignore_conflicts=True
        )
        invites = RegistrationInvite.objects.filter(registration_id__in=chunk)
        invites.update(sequence=F("sequence") + 1)
        sequences.update(invites.values_list("registration_id", "sequence"))
    return sequences


# --- Building the calendar --------------------------------------------------------------------


def invite_uid(registration: Registration) -> str:
    """Stable per registration, globally unique: the public id at the site's own domain."""
    return f"{registration.public_id}@{message_id_domain()}"


def event_feed_uid(event: Event) -> str:
    return f"event-{event.pk}@{message_id_domain()}"


def organizer_address() -> str:
    """The bare address of DEFAULT_FROM_EMAIL, which sends every invite."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def event_page_url(event: Event | EventInLanguage) -> str:
    return settings.SITE_URL + event.get_absolute_url()


def event_location(event: Event | EventInLanguage, *, include_join_url: bool) -> str:
    """Venue name and address on one line, else the join link when the reader may see it."""
    if event.has_venue and (event.venue_name or event.venue_address):
        parts = [one_line(part) for part in [event.venue_name, *event.venue_address.splitlines()]]
        return ", ".join(part for part in parts if part)
    if include_join_url and event.join_url:
        return event.join_url
    if event.is_online:
        return _("Online")
    return ""


def _cal_address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    # Quotes cannot appear inside a quoted parameter value (RFC 5545 3.2).
    common_name = one_line(name.replace('"', ""))
    if common_name:
        address.params["CN"] = vText(common_name)
    for key, value in params.items():
        address.params[key] = value
    return address


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _vevent(
    *,
    event: Event,
    summary: str,
    uid: str,
    sequence: int,
    description: str,
    location: str,
    cancelled: bool,
    now: datetime,
) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", uid)
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", now.astimezone(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(UTC))
    vevent.add("dtend", event.ends_at.astimezone(UTC))
    vevent.add("summary", one_line(summary))
    if description:
        vevent.add("description", description)
    if location:
        vevent.add("location", location)
    vevent.add("url", event_page_url(event))
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    vevent.add(
        "organizer",
        _cal_address(organizer_address(), event.organization.name),
    )
    return vevent


def invite_for_registration(
    *,
    registration: Registration,
    method: str,
    sequence: int,
    manage_url: str,
    shown: EventInLanguage | None = None,
    now: datetime | None = None,
) -> bytes:
    """The REQUEST or CANCEL invite for one registrant, in the active language.

    ``shown`` is the event's text in that language (``event_in_language``), if the caller
    has it already: SUMMARY, DESCRIPTION and LOCATION use it. The join link and
    instructions appear only on a REQUEST to a confirmed registrant of an event that is not
    cancelled.
    """
    if method not in {METHOD_REQUEST, METHOD_CANCEL}:
        raise ValueError(f"A registrant's invite is a REQUEST or a CANCEL, not {method}.")
    event = registration.event
    shown = shown if shown is not None else event_in_language(event)
    cancelled = method == METHOD_CANCEL
    may_join = (
        not cancelled
        and registration.status == Registration.Status.CONFIRMED
        and not event.is_cancelled
    )
    lines = [one_line(shown.title)]
    if cancelled:
        lines.append(_("This registration has been cancelled."))
    if may_join and event.is_online:
        if event.join_url:
            lines.append(_("Join: %(url)s") % {"url": event.join_url})
        if shown.joining_instructions:
            lines.append(shown.joining_instructions)
    lines.append(_("Event page: %(url)s") % {"url": event_page_url(event)})
    if manage_url and not cancelled:
        lines.append(_("See or cancel your registration: %(url)s") % {"url": manage_url})

    calendar = _calendar(method)
    vevent = _vevent(
        event=event,
        summary=shown.title,
        uid=invite_uid(registration),
        sequence=sequence,
        description="\n\n".join(lines),
        location=event_location(shown, include_join_url=may_join),
        cancelled=cancelled,
        now=now or timezone.now(),
    )
    vevent.add(
        "attendee",
        _cal_address(
            registration.email,
            registration.name,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="NEEDS-ACTION",
            RSVP="TRUE",
        ),
    )
    calendar.add_component(vevent)
    return calendar.to_ical()


def _public_vevent(event: Event, *, now: datetime) -> VEvent:
    """An event as the public sees it: its own UID and feed SEQUENCE, no attendee, no join link.

    The event page's .ics and its organization's feed use this one VEVENT, so a calendar
    that has it from either source recognises it in the other.
    """
    lines = [_("Event page: %(url)s") % {"url": event_page_url(event)}]
    if event.is_online:
        lines.append(_("The join link is sent to confirmed registrants."))
    return _vevent(
        event=event,
        summary=event.title,
        uid=event_feed_uid(event),
        sequence=event.feed_sequence,
        description="\n\n".join(lines),
        location=event_location(event, include_join_url=False),
        cancelled=event.is_cancelled,
        now=now,
    )


def event_feed(*, event: Event, now: datetime | None = None) -> bytes:
    """The public ``METHOD:PUBLISH`` calendar of one event: no attendee, no join link."""
    calendar = _calendar(METHOD_PUBLISH)
    # An X- property is not known to be TEXT: vText makes icalendar escape it as such.
    calendar.add("x-wr-calname", vText(one_line(event.title)))
    calendar.add_component(_public_vevent(event, now=now or timezone.now()))
    return calendar.to_ical()


# How often a subscribed calendar should fetch the feed again (RFC 7986 REFRESH-INTERVAL and
# Outlook's X-PUBLISHED-TTL); clients may poll less often, and 304s keep polling cheap.
FEED_REFRESH = timedelta(hours=1)


def organization_feed(
    *, organization: Organization, events: Iterable[Event], now: datetime | None = None
) -> bytes:
    """An organization's subscribable calendar: one VEVENT per event, as ``event_feed`` has it.

    ``events`` must come with their organization loaded (``select_related``): the feed is
    built without a query per event.
    """
    now = now or timezone.now()
    calendar = _calendar(METHOD_PUBLISH)
    calendar.add("x-wr-calname", vText(one_line(organization.name)))
    if organization.description:
        calendar.add("x-wr-caldesc", vText(organization.description))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # the same hour, as Outlook reads it
    for event in events:
        calendar.add_component(_public_vevent(event, now=now))
    return calendar.to_ical()
