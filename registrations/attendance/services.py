"""Matching an attendance report to an event's registrations, and recording the result.

A preview (``attendance_preview``) sorts the report's rows before anything is saved:

* **matched**: the email belongs to one registration of the event that is not cancelled
  (confirmed, waitlisted or pending: whoever was there was there). A person's rows are
  merged: someone who left and rejoined has their minutes summed; they attended if any of
  their rows says so.
* **ambiguous**: a person must decide, so nothing is recorded for it: the email belongs only
  to a cancelled registration, or the row has no usable email (or an unknown one) but its
  name is a registrant's.
* **unmatched**: nobody registered with that email or name (guests, hosts, typos).

``attendance_record`` then writes the matched registrations: attended yes/no and minutes.
Recording the same report twice gives the same result (minutes are set, not added).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from events.models import Event
from registrations.attendance.reports import ReportRow
from registrations.models import Registration
from registrations.selectors import normalize_email


@dataclass
class MatchedAttendee:
    registration: Registration
    attended: bool
    minutes: int | None
    lines: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class UnresolvedRow:
    row: ReportRow
    reason: str


@dataclass
class AttendancePreview:
    matched: list[MatchedAttendee]
    ambiguous: list[UnresolvedRow]
    unmatched: list[UnresolvedRow]

    @property
    def attended_count(self) -> int:
        return sum(1 for attendee in self.matched if attendee.attended)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def attendance_preview(*, event: Event, rows: list[ReportRow]) -> AttendancePreview:
    """Sort ``rows`` into matched, ambiguous and unmatched (see the module docstring)."""
    active: dict[str, Registration] = {}
    cancelled: set[str] = set()
    by_name: dict[str, list[Registration]] = defaultdict(list)
    for registration in Registration.objects.filter(event=event, erased_at__isnull=True):
        if registration.status == Registration.Status.CANCELLED:
            cancelled.add(registration.email_normalized)
            continue
        active[registration.email_normalized] = registration
        by_name[_name_key(registration.name)].append(registration)
    matched: dict[int, MatchedAttendee] = {}
    ambiguous: list[UnresolvedRow] = []
    unmatched: list[UnresolvedRow] = []
    for row in rows:
        email = normalize_email(row.email)
        found = active.get(email) if email else None
        if found is not None:
            attendee = matched.setdefault(
                found.pk, MatchedAttendee(found, attended=False, minutes=None)
            )
            attendee.lines.append(row.line)
            attendee.attended = attendee.attended or row.attended
            if row.minutes is not None:
                attendee.minutes = (attendee.minutes or 0) + row.minutes
            continue
        namesakes = by_name.get(_name_key(row.name), []) if row.name else []
        if email and email in cancelled:
            ambiguous.append(UnresolvedRow(row, _("This person's registration was cancelled.")))
        elif namesakes:
            ambiguous.append(
                UnresolvedRow(
                    row,
                    _("No registration with this email, but %(name)s registered as %(emails)s.")
                    % {
                        "name": row.name,
                        "emails": ", ".join(namesake.email for namesake in namesakes),
                    },
                )
            )
        elif not email:
            unmatched.append(UnresolvedRow(row, _("No email in this row.")))
        else:
            unmatched.append(UnresolvedRow(row, _("Nobody registered with this email.")))
    return AttendancePreview(
        matched=sorted(matched.values(), key=lambda attendee: attendee.lines[0]),
        ambiguous=ambiguous,
        unmatched=unmatched,
    )


def attendance_record(*, event: Event, preview: AttendancePreview) -> int:
    """Write the preview's matched people: attended or not, and their minutes.

    Returns how many registrations changed. Registrations that are not in the report keep
    what they had (a check-in, an earlier report).
    """
    changed = []
    for attendee in preview.matched:
        registration = attendee.registration
        minutes = attendee.minutes if attendee.attended else None
        if (registration.attended, registration.attended_minutes) != (attendee.attended, minutes):
            registration.attended = attendee.attended
            registration.attended_minutes = minutes
            changed.append(registration)
    with transaction.atomic():
        Registration.objects.bulk_update(changed, ["attended", "attended_minutes"])
    return len(changed)
