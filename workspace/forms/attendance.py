"""Attendance reports (upload, then pick columns) and the follow-ups after the end."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import ReminderRule
from registrations.attendance.reports import MAX_REPORT_BYTES, ColumnChoice
from workspace.forms.messages import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH, reject_control_characters


class AttendanceUploadForm(forms.Form):
    report = forms.FileField(
        label=_("Attendance report (CSV)"),
        help_text=_(
            "Zoom: Reports → Webinars → Attendee report → Export as CSV. Any other CSV with "
            "an email column works too. Up to %(size)d MB."
        )
        % {"size": MAX_REPORT_BYTES // (1024 * 1024)},
    )


class AttendanceColumnsForm(forms.Form):
    """Which of the report's columns hold the email and, if present, the time spent."""

    email = forms.TypedChoiceField(label=_("Email column"), coerce=int)
    minutes = forms.TypedChoiceField(
        label=_("Minutes column"), coerce=int, required=False, empty_value=None
    )
    join = forms.TypedChoiceField(
        label=_("Join time column"), coerce=int, required=False, empty_value=None
    )
    leave = forms.TypedChoiceField(
        label=_("Leave time column"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, object]] = [
            (str(index), header or f"#{index + 1}") for index, header in enumerate(headers)
        ]
        for name in ("email", "minutes", "join", "leave"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices if name == "email" else [("", _("(none)")), *choices]

    def column_choice(self, *, name: int | None, attended: int | None) -> ColumnChoice:
        data = self.cleaned_data
        return ColumnChoice(
            email=data["email"],
            minutes=data.get("minutes"),
            join=data.get("join"),
            leave=data.get("leave"),
            name=name,
            attended=attended,
        )


UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 60 * 24}


class FollowUpForm(forms.Form):
    """One follow-up: an empty message means none for this audience."""

    amount = forms.IntegerField(label=_("Send it"), min_value=0, max_value=60 * 24 * 30)
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[("minutes", _("minutes")), ("hours", _("hours")), ("days", _("days"))],
        initial="hours",
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH, required=False)
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=BODY_MAX_LENGTH,
        required=False,
        help_text=_("Leave empty to send nothing to this group."),
    )

    def clean_subject(self) -> str:
        return reject_control_characters(self.cleaned_data["subject"], allow_line_breaks=False)

    def clean_message(self) -> str:
        return reject_control_characters(self.cleaned_data["message"], allow_line_breaks=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        amount, unit = cleaned.get("amount"), cleaned.get("unit")
        if amount is not None and unit in UNIT_MINUTES:
            cleaned["minutes_after"] = amount * UNIT_MINUTES[unit]
            if cleaned["minutes_after"] > 60 * 24 * 30:
                self.add_error("amount", _("Choose at most 30 days after the end."))
        return cleaned

    @staticmethod
    def initial_for(rule: ReminderRule | None) -> dict[str, Any]:
        if rule is None:
            return {"amount": 2, "unit": "hours"}
        minutes = rule.minutes_after or 0
        unit = next(
            (name for name in ("days", "hours") if minutes and minutes % UNIT_MINUTES[name] == 0),
            "minutes",
        )
        return {
            "amount": minutes // UNIT_MINUTES[unit],
            "unit": unit,
            "subject": rule.subject,
            "message": rule.message,
        }
