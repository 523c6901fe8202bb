"""What the organizer's event form (workspace) and the admin's event form share.

The event's zone, its four times typed as wall-clock times in that zone (events.wall_clock),
and its capacity, with the rules between them. A model form of Event gets them by putting
``EventScheduleForm`` first among its bases: ``class EventForm(EventScheduleForm,
forms.ModelForm)``; its ``clean`` calls ``clean_schedule``.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import CAPACITY_HELP, CAPACITY_MAX, Event
from events.time_zone_field import TimeZoneField
from events.timezones import utc_to_local
from events.wall_clock import (
    WALL_CLOCK_HELP,
    WallClockDateTimeField,
    convert_wall_clock_fields,
    event_time_problems,
)

WALL_CLOCK_FIELDS = ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]


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

    instance: Event

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = self.instance
        if event.pk:
            for name in WALL_CLOCK_FIELDS:
                moment = getattr(event, name)
                if moment is not None:
                    self.initial[name] = utc_to_local(moment, event.time_zone)

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
        capacity = cleaned.get("capacity")
        taken = self.instance.seats_taken
        if capacity is not None and capacity < taken:
            self.add_error(
                "capacity",
                _("%(taken)d people are already confirmed; capacity cannot be lower.")
                % {"taken": taken},
            )
