"""What the organizer's event form (workspace) and the admin's event form share.

The event's zone, its four times typed as wall-clock times in that zone (events.wall_clock),
its capacity, with the rules between them, and its reminders' quiet hours. A model form of
Event gets them by putting ``EventScheduleForm`` first among its bases:
``class EventForm(EventScheduleForm, forms.ModelForm)``; its ``clean`` calls
``clean_schedule``.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import CAPACITY_HELP, CAPACITY_MAX, Event
from events.multiline import normalize_multiline
from events.text import validate_no_control_characters
from events.time_zone_field import TimeZoneField
from events.timezones import utc_to_local
from events.wall_clock import (
    WALL_CLOCK_HELP,
    WallClockDateTimeField,
    convert_wall_clock_fields,
    event_time_problems,
)

WALL_CLOCK_FIELDS = ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]
QUIET_HOURS_FIELDS = ["quiet_hours_enabled", "quiet_hours_start", "quiet_hours_end"]


class MultilineTextField(forms.CharField):
    """A model TextField in a form: stored with LF breaks, changed only if the text is, and
    free of invisible control characters (events/text.py)."""

    widget = forms.Textarea
    default_validators = [validate_no_control_characters]

    def to_python(self, value: Any) -> str:
        return normalize_multiline(super().to_python(value) or "")

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        return normalize_multiline(initial or "") != self.to_python(data)


class EventScheduleForm(forms.Form):
    time_zone = TimeZoneField(
        label=_("Time zone"),
        help_text=_("The event's own zone. Its start, end and registration times are in it."),
    )
    starts_at = WallClockDateTimeField(label=_("Starts"), help_text=WALL_CLOCK_HELP)
    ends_at = WallClockDateTimeField(label=_("Ends"), help_text=WALL_CLOCK_HELP)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=CAPACITY_MAX,
        help_text=CAPACITY_HELP,
    )
    registration_opens_at = WallClockDateTimeField(
        label=_("Registration opens"),
        required=False,
        help_text=_("In the event's time zone. Empty: as soon as the event is published."),
    )
    registration_closes_at = WallClockDateTimeField(
        label=_("Registration closes"),
        required=False,
        help_text=_(
            "In the event's time zone. Empty: registration stays open until the event ends."
        ),
    )

    quiet_hours_enabled = forms.BooleanField(
        label=_("Quiet hours for reminders"),
        required=False,
        help_text=_(
            "A reminder that would reach someone during these hours, on their own clock, is "
            "sent just before they begin instead. Reminders due within 2 hours of the start "
            "and “the day before at” reminders are never moved."
        ),
    )
    quiet_hours_start = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In each registrant's own time zone, e.g. 22:00."),
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("E.g. 08:00 the next morning."),
    )

    instance: Event

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = self.instance
        if event.pk:
            for name in WALL_CLOCK_FIELDS:
                moment = getattr(event, name)
                if moment is not None:
                    self.initial[name] = utc_to_local(moment, event.time_zone)
        for name in QUIET_HOURS_FIELDS:
            # A new event shows the model's defaults: on, 22:00-08:00.
            self.initial.setdefault(name, getattr(event, name))

    def clean_schedule(self, cleaned: dict[str, Any]) -> None:
        """Turn the times into UTC instants in the chosen zone; check them and the capacity."""
        zone = cleaned.get("time_zone")
        if zone:
            convert_wall_clock_fields(self, WALL_CLOCK_FIELDS, zone)
        else:
            # Without a valid zone the times mean nothing yet: keep them off the event.
            for name in WALL_CLOCK_FIELDS:
                cleaned.pop(name, None)
        for field, problem in event_time_problems(cleaned).items():
            self.add_error(field, problem)
        self._clean_quiet_hours(cleaned)
        capacity = cleaned.get("capacity")
        taken = self.instance.seats_taken
        if capacity is not None and capacity < taken:
            self.add_error(
                "capacity",
                _("%(taken)d people are already confirmed; capacity cannot be lower.")
                % {"taken": taken},
            )

    def _clean_quiet_hours(self, cleaned: dict[str, Any]) -> None:
        """Check the window and put it on the event.

        Switched off, a time left empty keeps the saved one (for when it is switched on again).
        """
        event = self.instance
        enabled = bool(cleaned.get("quiet_hours_enabled"))
        start, end = cleaned.get("quiet_hours_start"), cleaned.get("quiet_hours_end")
        if enabled:
            for name, value in (("quiet_hours_start", start), ("quiet_hours_end", end)):
                if value is None and name not in self.errors:
                    self.add_error(name, _("Give a time, e.g. 22:00, or switch quiet hours off."))
            if start is not None and start == end:
                self.add_error(
                    "quiet_hours_end", _("Quiet hours need an end that differs from their start.")
                )
            if start is None or end is None or start == end:
                return
        start = start or event.quiet_hours_start
        end = end or event.quiet_hours_end
        cleaned["quiet_hours_start"], cleaned["quiet_hours_end"] = start, end
        event.quiet_hours_enabled = enabled
        event.quiet_hours_start = start.replace(second=0, microsecond=0)
        event.quiet_hours_end = end.replace(second=0, microsecond=0)
