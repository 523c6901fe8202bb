"""Registering a webhook endpoint, and changing it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.event_types import all_event_types


def _event_type_choices() -> list[tuple[str, str]]:
    return [(kind.name, f"{kind.name}: {kind.label}") for kind in all_event_types()]


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address on the public internet. Convene POSTs JSON to it."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=_event_type_choices,
        widget=forms.CheckboxSelectMultiple,
    )


class WebhookEndpointChangeForm(WebhookEndpointForm):
    enabled = forms.BooleanField(
        label=_("Send messages to this endpoint"),
        required=False,
        help_text=_("Untick to pause it: queued messages fail and nothing is sent until ticked."),
    )
