"""Writing to registrants: the compose form, and the preview's form that sends once."""

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.text import validate_one_line
from workspace.models import Message

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000
SEARCH_MAX_LENGTH = 200


def reject_control_characters(value: str, *, allow_line_breaks: bool) -> str:
    """Refuse invisible control characters rather than drop them silently."""
    for character in value:
        if allow_line_breaks and character in "\n\r\t":
            continue
        if unicodedata.category(character) in {"Cc", "Cs"}:
            if character in "\n\r":
                raise forms.ValidationError(_("Please write this on one line."))
            raise forms.ValidationError(_("Please remove invisible control characters."))
    return value


class MessageComposeForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Send to"), choices=Message.Audience.choices, initial=Message.Audience.CONFIRMED
    )
    search = forms.CharField(
        label=_("Only people whose name or email contains"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Leave empty to write to everyone in the group above."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}),
        help_text=_("Plain text, sent as you write it."),
    )

    def clean_search(self) -> str:
        return reject_control_characters(self.cleaned_data["search"], allow_line_breaks=False)

    def clean_subject(self) -> str:
        subject = reject_control_characters(self.cleaned_data["subject"], allow_line_breaks=False)
        validate_one_line(subject)  # direction overrides, which can spoof what a subject says
        return subject

    def clean_body(self) -> str:
        body = reject_control_characters(self.cleaned_data["body"], allow_line_breaks=True)
        # Browsers submit CRLF; the outbox stores the text as the recipient will read it.
        return body.replace("\r\n", "\n").replace("\r", "\n")


class MessageSendForm(MessageComposeForm):
    """The preview's form: the same fields, hidden, plus the one-time key of this send."""

    send_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("audience", "search", "subject", "body"):
            self.fields[name].widget = forms.HiddenInput()
