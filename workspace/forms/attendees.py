"""Finding, adding and deciding on attendees."""

import unicodedata
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from config.languages import language_choices, supported_language
from events.email_addresses import EmailAddressField
from events.models import CAPACITY_MAX, Event
from events.text import validate_one_line
from events.time_zone_field import TimeZoneField
from registrations.models import Registration
from registrations.selectors import REGISTRATION_ORDERINGS

SORT_LABELS = {
    "registered": _("Registered first"),
    "-registered": _("Registered last"),
    "name": _("Name, A to Z"),
    "-name": _("Name, Z to A"),
    "email": _("Email"),
    "status": _("Status"),
}


class AttendeeFilterForm(forms.Form):
    """The attendees page query string; unknown values fall back to "everything"."""

    q = forms.CharField(label=_("Search name or email"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Registration.Status.choices],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        # "registered" first: it is what an empty form means, so the select must show it.
        choices=sorted(
            ((key, SORT_LABELS.get(key, key)) for key in REGISTRATION_ORDERINGS),
            key=lambda choice: choice[0] != "registered",
        ),
        required=False,
    )

    def filters(self) -> dict[str, str]:
        """Valid filters only, as ``registration_list`` and the export URLs take them."""
        if not self.is_valid():
            return {"q": "", "status": "", "sort": "registered"}
        return {
            "q": self.cleaned_data["q"].strip(),
            "status": self.cleaned_data["status"],
            "sort": self.cleaned_data["sort"] or "registered",
        }


def _one_line_without_control_characters(value: str) -> str:
    if any(unicodedata.category(character) in {"Cc", "Cs"} for character in value):
        raise forms.ValidationError(_("Please remove line breaks and invisible characters."))
    return value


class AddPersonForm(forms.Form):
    """Someone the organizer registers by hand, before the event or at the door."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = EmailAddressField(label=_("Email"), max_length=254)
    time_zone = TimeZoneField(
        label=_("Their time zone"),
        help_text=_("Reminders and emails use this zone."),
    )
    language = forms.ChoiceField(label=_("Language for emails"), choices=language_choices)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("time_zone", event.time_zone)
        # The workspace's language, as on the public form: the Persian page's organizers
        # mostly add Persian readers.
        self.initial.setdefault("language", supported_language(translation.get_language()))

    def clean_name(self) -> str:
        name = _one_line_without_control_characters(self.cleaned_data["name"])
        validate_one_line(name)  # direction overrides, which can make a name read backwards
        return name


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Written to the person in the email that tells them; keep it kind."),
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=CAPACITY_MAX)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.initial.setdefault("capacity", event.capacity)

    def clean_capacity(self) -> int:
        capacity: int = self.cleaned_data["capacity"]
        if self.event.is_cancelled:
            raise forms.ValidationError(_("This event has been cancelled."))
        if capacity < self.event.seats_taken:
            raise forms.ValidationError(
                _("%(taken)d people are already confirmed; capacity cannot be lower.")
                % {"taken": self.event.seats_taken}
            )
        return capacity
