"""Confirming a registrant's erasure."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the name, email and answers are deleted for good."),
        required=True,
    )
