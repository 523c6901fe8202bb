"""The per-event sub-navigation: one place to add a section when a new page lands.

Sections whose URL name does not resolve (yet) are left out, so pages built by different
people can land in any order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.models import Event
from workspace.selectors.events import EventAccess, event_translation_languages


@dataclass(frozen=True)
class Section:
    url_name: str
    label: Promise
    # Whether this event has the section; None: every event.
    shown: Callable[[Event], bool] | None = None
    # Other pages (URL names) that belong to this section, so it is marked current there.
    also_current: tuple[str, ...] = ()
    # The section's address when it is not ``reverse(url_name, event_id=...)``.
    url: Callable[[Event], str] | None = None
    # Who sees the link: a co-host's members only reach some sections (EventAccess).
    need: EventAccess = EventAccess.VIEW

    def url_for(self, event: Event) -> str:
        if self.url is not None:
            return self.url(event)
        return reverse(self.url_name, kwargs={"event_id": event.pk})


def _first_translation(event: Event) -> str:
    language = event_translation_languages(event)[0][0]
    return reverse(
        "workspace:event_translation", kwargs={"event_id": event.pk, "language": language}
    )


def _event_audit_log(event: Event) -> str:
    url = reverse("workspace:audit_log", kwargs={"slug": event.organization.slug})
    return f"{url}?event={event.pk}"


EVENT_SECTIONS = [
    Section("workspace:event_overview", _("Overview"), also_current=("workspace:event_cancel",)),
    Section(
        "workspace:attendees",
        _("Attendees"),
        also_current=(
            "workspace:registration_reject",
            "workspace:registration_erase",
            "workspace:attendance_upload",
            "workspace:attendance_preview",
            "workspace:attendance_import",
        ),
    ),
    Section("workspace:checkin", _("Check-in"), shown=lambda event: event.has_venue),
    Section(
        "workspace:event_edit",
        _("Edit"),
        shown=lambda event: not event.is_cancelled,
        need=EventAccess.EDIT,
    ),
    Section(
        "workspace:event_translation",
        _("Languages"),
        # Every language but the event's own; with one site language there is none.
        shown=lambda event: not event.is_cancelled and bool(event_translation_languages(event)),
        url=_first_translation,
        need=EventAccess.EDIT,
    ),
    Section("workspace:event_exports", _("Exports")),
    Section(
        "workspace:messages",
        _("Messages"),
        also_current=(
            "workspace:message_preview",
            "workspace:message_send",
            "workspace:message_detail",
            "workspace:failed_emails",
        ),
        need=EventAccess.EDIT,
    ),
    Section("workspace:follow_ups", _("Follow-ups")),
    Section("workspace:stats", _("Stats")),
    Section("workspace:event_cohosts", _("Co-hosts")),
    Section("workspace:audit_log", _("Audit log"), url=_event_audit_log, need=EventAccess.OWN),
]
