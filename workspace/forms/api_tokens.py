"""Making an API token (docs/api.md, "Tokens")."""

from datetime import UTC, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workspace.models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, e.g. “CRM sync”. The audit log names it."),
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )
    expires_on = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working at the end of this day (UTC). Empty: until revoked."),
    )

    def clean_expires_on(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        if day < timezone.now().date() or day.year > 2999:
            raise forms.ValidationError(_("Pick a day from today on."))
        return datetime.combine(day, time.min, tzinfo=UTC) + timedelta(days=1)
