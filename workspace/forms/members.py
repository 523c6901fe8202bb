"""Inviting someone to an organization."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.email_addresses import EmailAddressField
from events.models import Membership


class MemberInviteForm(forms.Form):
    email = EmailAddressField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.ORGANIZER
    )
