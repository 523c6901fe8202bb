"""The per-event sub-navigation: one place to add a section when a new page lands.

Sections whose URL name does not resolve (yet) are left out, so pages built by different
people can land in any order.
"""

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.models import Event

# (URL name taking ``event_id``, label, whether this event shows it; None means always)
EVENT_SECTIONS: list[tuple[str, Promise, Callable[[Event], bool] | None]] = [
    ("workspace:event_overview", _("Overview"), None),
    ("workspace:attendees", _("Attendees"), None),
    ("workspace:checkin", _("Check-in"), lambda event: event.has_venue),
    ("workspace:event_edit", _("Edit"), lambda event: not event.is_cancelled),
    ("workspace:event_exports", _("Exports"), None),
    ("workspace:event_messages", _("Messages"), None),
    ("workspace:event_stats", _("Stats"), None),
]
