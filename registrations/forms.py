"""The guest registration form, with the event's own questions added as fields."""

import unicodedata
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.languages import language_choices
from events.email_addresses import EmailAddressField
from events.models import Event, Question
from events.selectors import QuestionText
from events.text import validate_one_line, validate_visible
from events.time_zone_field import TimeZoneField

NAME_MAX_LENGTH = 200
ANSWER_MAX_LENGTH = 2000


def _reject_control_characters(value: str) -> str:
    """Drop nothing silently: refuse text with control characters (other than newlines).

    Format characters (category Cf) stay allowed: Persian spelling needs the zero-width
    non-joiner. U+FFFD is what bytes that were not UTF-8 became on the way in.
    """
    for character in value:
        if character in "\n\r\t":
            continue
        if unicodedata.category(character) in {"Cc", "Cs"}:
            raise forms.ValidationError(_("Please remove invisible control characters."))
        if character == "\ufffd":
            raise forms.ValidationError(
                _("Some characters did not arrive intact (shown as �). Please type them again.")
            )
    return value


def question_field_name(question: Question) -> str:
    return f"question_{question.pk}"


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX_LENGTH, strip=True)
    email = EmailAddressField(label=_("Email"), max_length=254)
    time_zone = TimeZoneField(
        label=_("Your time zone"),
        help_text=_("Reminders and times in emails use this zone."),
    )
    # Invalid choices are not echoed back: the value may be anything, of any length.
    language = forms.ChoiceField(
        label=_("Language for emails"),
        choices=language_choices,
        error_messages={"invalid_choice": _("Pick a language from the list.")},
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(
        self,
        *args: Any,
        event: Event,
        questions: list[Question] | None = None,
        consent_line: str | None = None,
        **kwargs: Any,
    ) -> None:
        """``questions`` defaults to the event's own, for callers that have not read them;
        ``consent_line``, when given, is a box the person must tick to register."""
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(event.questions.all()) if questions is None else questions
        for question in self.questions:
            self.fields[question_field_name(question)] = self._field_for(question)
        self.consent_line = consent_line
        if consent_line is not None:
            self.fields["consent"] = forms.BooleanField(
                label=consent_line,
                required=True,
                error_messages={"required": _("Tick this box to register.")},
            )

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        # The organizer's words in their own run, so the label's colon stays on its side in
        # the other direction (docs/design.md, "Languages").
        label = format_html("<bdi>{}</bdi>", question.label)
        if question.kind == Question.Kind.CHECKBOX:
            return forms.BooleanField(label=label, required=question.required)
        if question.kind == Question.Kind.SINGLE_CHOICE:
            choices = [(choice, choice) for choice in question.choice_list]
            if not question.required:
                choices = [("", "—"), *choices]
            return forms.ChoiceField(
                label=label,
                required=question.required,
                choices=choices,
                widget=forms.RadioSelect if question.required else forms.Select,
                error_messages={"invalid_choice": _("Pick one of the options.")},
            )
        widget = (
            forms.Textarea(attrs={"rows": 3}) if question.kind == Question.Kind.LONG_TEXT else None
        )
        return forms.CharField(
            label=label, required=question.required, max_length=ANSWER_MAX_LENGTH, widget=widget
        )

    def show_questions_in(self, texts: dict[int, QuestionText]) -> None:
        """Show the questions' labels and choices as a reader of another language sees them
        (``events.selectors.question_texts``); the values posted stay the question's own."""
        for question in self.questions:
            text = texts.get(question.pk)
            if text is None:
                continue
            name = question_field_name(question)
            field = self.fields[name]
            field.label = format_html('<bdi lang="{}">{}</bdi>', text.language, text.label)
            # A validated form keeps its bound fields, with the label they were made with.
            self[name].label = field.label
            if isinstance(field, forms.ChoiceField):
                empty = [("", "—")] if not question.required else []
                field.choices = [*empty, *text.choices]

    def clean_name(self) -> str:
        name = _reject_control_characters(self.cleaned_data["name"])
        if "\n" in name or "\r" in name:
            raise forms.ValidationError(_("Please write your name on one line."))
        validate_one_line(name)  # direction overrides, which can make a name read backwards
        validate_visible(name)
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            # Above the form, not next to the invisible field: the rare person whose browser
            # filled it in can simply send the form again (it comes back empty).
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "Your browser filled in a hidden field, so we could not tell you from "
                        "a bot. Please send the form again."
                    ),
                    code="honeypot",
                ),
            )
        for question in self.questions:
            field_name = question_field_name(question)
            value = cleaned.get(field_name)
            if isinstance(value, str):
                try:
                    _reject_control_characters(value)
                except forms.ValidationError as error:
                    self.add_error(field_name, error)
        return cleaned

    def answers(self) -> dict[str, Any]:
        """Answers keyed by question id (as text, for JSON), labels kept for exports."""
        return {
            str(question.pk): self.cleaned_data.get(question_field_name(question))
            for question in self.questions
        }
