"""An organization's settings form."""

from django import forms

from events.models import Organization


class OrganizationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["attendee_privacy"]
