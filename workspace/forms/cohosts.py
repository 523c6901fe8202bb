"""Inviting another organization to co-host an event."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CoHostInviteForm(forms.Form):
    slug = forms.SlugField(
        label=_("Organization's web address"),
        max_length=80,
        help_text=_("The part after /o/ in its page's address, e.g. shahrzad-books."),
    )
    can_edit = forms.BooleanField(
        label=_("May also edit the event, its registrations and messages"),
        help_text=_("Publishing and cancelling the event stay with your organization."),
        required=False,
    )


class CoHostEditAccessForm(forms.Form):
    can_edit = forms.BooleanField(required=False)
