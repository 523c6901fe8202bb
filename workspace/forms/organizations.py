"""An organization's settings: the same form creates one and edits it."""

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Membership, Organization


def _form_field(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A logo link typed without a scheme means https, as event links do."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        formfield_callback = _form_field
        fields = [
            "name",
            "slug",
            "contact_email",
            "description",
            "time_zone",
            "language",
            "logo_url",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Blank on the model so organizations made before this field stay valid; asked of
        # everyone who creates or edits one.
        self.fields["contact_email"].required = True

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).lower()


class OrganizationSettingsForm(OrganizationForm):
    """What owners change later: the same, and attendee privacy (README: Attendee privacy)."""

    class Meta(OrganizationForm.Meta):
        fields = [*OrganizationForm.Meta.fields, "attendee_privacy"]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
