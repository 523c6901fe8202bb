"""An event's text in another language: title, description, venue, and each question."""

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Event, EventTranslation, Question, QuestionTranslation
from events.selectors import TRANSLATED_EVENT_FIELDS
from events.text import validate_one_line
from events.time_display import localize_digits
from workspace.forms.events import _form_field


def _label_field_name(question: Question) -> str:
    return f"question_{question.pk}_label"


def _choices_field_name(question: Question) -> str:
    return f"question_{question.pk}_choices"


class EventTranslationForm(forms.ModelForm):
    """The event's text in ``instance.language``; every field may stay empty, and an empty
    one shows the event's own text (docs/design.md, "Languages").

    One label (and, for a single-choice question, one list of choices) per question of the
    event. A translated list must have as many options as the question's own, in the same
    order: a registrant's choice is stored as the question's own option at that place.
    """

    class Meta:
        model = EventTranslation
        formfield_callback = _form_field
        fields = list(TRANSLATED_EVENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "venue_address": forms.Textarea(attrs={"rows": 3}),
            "joining_instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args: Any,
        event: Event,
        questions: list[Question],
        question_translations: dict[int, QuestionTranslation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = questions
        language = self.instance.language
        for name in TRANSLATED_EVENT_FIELDS:
            own = getattr(event, name)
            self.fields[name].help_text = (
                format_html('{} <bdi dir="auto">{}</bdi>', _("The event's own:"), own)
                if own and name != "description"
                else ""
            )
        for question in questions:
            row = question_translations.get(question.pk)
            self.fields[_label_field_name(question)] = forms.CharField(
                label=format_html("<bdi>{}</bdi>", question.label),
                required=False,
                max_length=QuestionTranslation._meta.get_field("label").max_length,
                # The model's check, so odd text (a line break, an invisible control
                # character) is refused here, next to the field, not by the service's full_clean.
                validators=[validate_one_line],
                initial=row.label if row else "",
            )
            if question.kind == Question.Kind.SINGLE_CHOICE:
                self.fields[_choices_field_name(question)] = forms.CharField(
                    label=_("Its choices"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": max(len(question.choice_list), 2)}),
                    initial=row.choices if row else "",
                    help_text=format_html(
                        '{} <bdi dir="auto">{}</bdi>',
                        _("One per line, in this order:"),
                        " / ".join(question.choice_list),
                    ),
                )
        # What the organizer types is in the other language: its direction, not the page's.
        for field in self.fields.values():
            field.widget.attrs.update({"lang": language, "dir": "auto"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            name = _choices_field_name(question)
            lines = [line.strip() for line in cleaned.get(name, "").splitlines() if line.strip()]
            expected = len(question.choice_list)
            if lines and len(lines) != expected:
                self.add_error(
                    name,
                    ngettext(
                        "Give %(count)s option, one per line, in the same order as the "
                        "question's own.",
                        "Give %(count)s options, one per line, in the same order as the "
                        "question's own.",
                        expected,
                    )
                    % {"count": localize_digits(str(expected))},
                )
            if name in cleaned:
                cleaned[name] = "\n".join(lines)
        return cleaned

    def question_fields(self) -> list[list[forms.BoundField]]:
        """Each question's bound fields (label, and choices if it has them), for the page."""
        rows = []
        for question in self.questions:
            names = [_label_field_name(question), _choices_field_name(question)]
            rows.append([self[name] for name in names if name in self.fields])
        return rows

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in TRANSLATED_EVENT_FIELDS}

    def question_texts(self) -> dict[int, tuple[str, str]]:
        """(label, choices) by question id, as ``events.services.event_translation_save``
        takes them."""
        return {
            question.pk: (
                self.cleaned_data.get(_label_field_name(question), "").strip(),
                self.cleaned_data.get(_choices_field_name(question), ""),
            )
            for question in self.questions
        }
