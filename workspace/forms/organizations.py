"""An organization's settings: the same form creates one and edits it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.logos import LogoRefused, PreparedLogo, logo_prepare
from events.models import Membership, Organization
from events.text import validate_no_control_characters, validate_visible


class OrganizationForm(forms.ModelForm):
    # Not the model's field: the upload is checked and re-encoded here (events/logos.py),
    # and the service stores what comes out.
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "Optional. A PNG, JPEG or WebP image of at most 2 MB, ideally square; it is shown "
            "on your page, beside your name on event pages and in link previews."
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "slug",
            "contact_email",
            "description",
            "time_zone",
            "language",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "language": _(
                "Used where a person's own language is not known: emails to your owners, "
                "and your page and feeds for visitors whose browser names no language."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Blank on the model so organizations made before this field stay valid; asked of
        # everyone who creates or edits one.
        self.fields["contact_email"].required = True
        # Shown on the page and carried by the Atom feed, which cannot hold control characters.
        self.fields["description"].validators.append(validate_no_control_characters)
        self.fields["name"].validators.append(validate_visible)

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).lower()

    def clean_logo(self) -> PreparedLogo | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        try:
            return logo_prepare(upload, size=upload.size)
        except LogoRefused as refusal:
            raise forms.ValidationError(refusal.message, code="logo_refused") from refusal


class OrganizationSettingsForm(OrganizationForm):
    """What owners change later: the same, attendee privacy (README: Attendee privacy), and
    taking the logo away."""

    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta(OrganizationForm.Meta):
        fields = [*OrganizationForm.Meta.fields, "attendee_privacy"]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned and cleaned.get("remove_logo") and cleaned.get("logo"):
            self.add_error(
                "remove_logo", _("Either upload a new logo or remove it, not both at once.")
            )
        return cleaned


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
