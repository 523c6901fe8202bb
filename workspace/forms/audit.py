"""Filtering the audit log."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, Organization


class AuditLogFilterForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event_field = self.fields["event"]
        assert isinstance(event_field, forms.ModelChoiceField)
        event_field.queryset = Event.objects.filter(organization=organization).order_by(
            "-starts_at"
        )
