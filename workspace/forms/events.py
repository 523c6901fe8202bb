"""Creating, editing and duplicating an event, with its inline lists."""

import calendar
import unicodedata
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from config.languages import language_choices
from events.forms import WALL_CLOCK_FIELDS, EventScheduleForm, MultilineTextField
from events.models import CoSponsor, Event, Question, Speaker
from events.services import event_publication_problems, unique_event_slug
from events.text import validate_one_line
from events.timezones import utc_to_local
from events.wall_clock import (
    WallClockDateTimeField,
    convert_wall_clock_fields,
)
from notifications.models import ReminderRule
from notifications.reminders.kinds import (
    reminder_form_kind_names,
    reminder_form_kinds,
    reminder_kind,
)
from notifications.reminders.rules import DEFAULT_MINUTES_BEFORE


def _form_field(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Model fields as form fields; a link typed without a scheme means https, and text
    areas compare and store line breaks as the browser cannot (events.forms)."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    if isinstance(db_field, models.TextField):
        kwargs["form_class"] = MultilineTextField
    return db_field.formfield(**kwargs)


class EventForm(EventScheduleForm, forms.ModelForm):
    """Every field an organizer sets; times are wall-clock times in the chosen zone."""

    # The language the text is written in; the other languages are on the event's
    # "Languages" page (docs/i18n.md, "One event, several languages").
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=language_choices,
        # Left out (an older page, a script): the event keeps its language.
        required=False,
        help_text=_(
            "The language of the title, description and venue. Add the other languages "
            "on the event's Languages page."
        ),
        error_messages={"invalid_choice": _("Pick a language from the list.")},
    )

    class Meta:
        model = Event
        formfield_callback = _form_field
        fields = [
            "title",
            "slug",
            "kind",
            "time_zone",
            "description",
            "language",
            "venue_name",
            "venue_address",
            "join_url",
            "joining_instructions",
            "capacity",
            "approval_required",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "venue_address": forms.Textarea(attrs={"rows": 3}),
            "joining_instructions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"slug": _("Web address")}
        help_texts = {
            "approval_required": _(
                "New registrations wait for your approval before they get a seat."
            ),
        }

    field_order = [
        "title",
        "kind",
        "time_zone",
        "starts_at",
        "ends_at",
        "description",
        "language",
        "venue_name",
        "venue_address",
        "join_url",
        "joining_instructions",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "approval_required",
        "slug",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = self.instance
        if not self.is_bound and not event.language:
            self.initial["language"] = event.organization.language
        slug = self.fields["slug"]
        slug.required = False
        if event.status == Event.Status.DRAFT:
            slug.help_text = _(
                "The event's address. Empty: made from the title. Fixed once published."
            )
        else:
            # Links to a published event are out in emails and calendars: keep them working.
            slug.disabled = True
            slug.help_text = _("Fixed once the event is published, so shared links keep working.")
        if not event.pk and not self.is_bound:
            # static/js/timezone.js preselects the organizer's own zone on a new event.
            self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = ""

    def clean_language(self) -> str:
        language: str = self.cleaned_data.get("language") or self.instance.language
        return language

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The start as typed, before it becomes UTC: a dated slug names the event's own day.
        local_start = cleaned.get("starts_at")
        self.clean_schedule(cleaned)
        if not cleaned.get("slug") and cleaned.get("title"):
            fallback = f"event-{local_start:%Y-%m-%d}" if local_start else "event"
            cleaned["slug"] = unique_event_slug(
                cleaned["title"], fallback=fallback, exclude_id=self.instance.pk
            )
        for name in WALL_CLOCK_FIELDS:
            if name in cleaned or not self.fields[name].required:
                setattr(self.instance, name, cleaned.get(name))
        if self.instance.status == Event.Status.PUBLISHED:
            self._clean_publication(cleaned)
        return cleaned

    def _clean_publication(self, cleaned: dict[str, Any]) -> None:
        candidate = Event(
            kind=cleaned.get("kind", ""),
            venue_name=cleaned.get("venue_name", ""),
            join_url=cleaned.get("join_url", ""),
        )
        for field, problem in event_publication_problems(candidate).items():
            if field not in self.errors:
                self.add_error(field, problem)


class ReminderRuleForm(forms.ModelForm):
    """A reminder, "2 hours before" or "the day before at 09:00 (the registrant's time)".

    Each kind brings its own fields and reads them (``notifications.reminders.kinds``).
    """

    # Set on rules the page suggests (the defaults of a new event): keep them even untouched.
    suggested = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ReminderRule
        fields = ["kind"]
        labels = {"kind": _("When")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = reminder_form_kinds()
        for kind in kinds:
            self.fields.update(kind.form_fields())
        # Follow-ups after the end have their own page (workspace/views/follow_ups.py).
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(kind.name, kind.label) for kind in kinds]
        self.order_fields(["kind"])
        if self.instance.pk:
            self.initial.update(reminder_kind(self.instance.kind).form_initial(self.instance))

    def has_changed(self) -> bool:
        return super().has_changed() or bool(self.data.get(self.add_prefix("suggested")))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            kind = reminder_kind(cleaned.get("kind") or "")
        except LookupError:
            return cleaned  # the kind field has said why
        try:
            values = kind.form_values(cleaned)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                # A field that refused its own input (0 or less) has already said why.
                if field not in self.errors:
                    self.add_error(field, messages)
            return cleaned
        for field, value in values.items():
            setattr(self.instance, field, value)
        return cleaned


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["label", "kind", "choices", "required"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Question.Kind.SINGLE_CHOICE:
            options = [line for line in (cleaned.get("choices") or "").splitlines() if line.strip()]
            if len(options) < 2:
                self.add_error("choices", _("Give at least two options, one per line."))
        return cleaned


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 2})}


class CoSponsorForm(forms.ModelForm):
    class Meta:
        model = CoSponsor
        formfield_callback = _form_field
        fields = ["name", "url"]


class PositionedInlineFormSet(BaseInlineFormSet):
    """Saves rows in the order they appear on the page (their ``position``)."""

    def save(self, commit: bool = True) -> list[Any]:
        entered = super().save(commit=False)
        for deleted in self.deleted_objects:
            deleted.delete()
        kept = [
            form.instance
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.instance in entered)
        ]
        for position, instance in enumerate(kept):
            if hasattr(instance, "position"):
                instance.position = position
            instance.save()
        return kept


def _formset(model: type, form: type[forms.ModelForm], extra: int = 1) -> Any:
    return inlineformset_factory(
        Event, model, form=form, formset=PositionedInlineFormSet, extra=extra, can_delete=True
    )


ReminderRuleFormSet = _formset(ReminderRule, ReminderRuleForm)
QuestionFormSet = _formset(Question, QuestionForm)
SpeakerFormSet = _formset(Speaker, SpeakerForm)
CoSponsorFormSet = _formset(CoSponsor, CoSponsorForm)

# Prefix → formset class, in the order the page shows them.
INLINE_FORMSETS = {
    "reminders": ReminderRuleFormSet,
    "questions": QuestionFormSet,
    "speakers": SpeakerFormSet,
    "cosponsors": CoSponsorFormSet,
}

# A new event starts with the reminders most organizers want (docs/design.md, "Reminders").
DEFAULT_REMINDERS = [
    {
        "kind": ReminderRule.Kind.BEFORE_START,
        **reminder_kind(ReminderRule.Kind.BEFORE_START).form_initial(
            ReminderRule(kind=ReminderRule.Kind.BEFORE_START, minutes_before=minutes)
        ),
        "suggested": True,
    }
    for minutes in DEFAULT_MINUTES_BEFORE
]


def event_inline_formsets(
    event: Event, data: Any = None, *, suggest_defaults: bool = False
) -> dict[str, Any]:
    formsets = {}
    for prefix, formset_class in INLINE_FORMSETS.items():
        kwargs: dict[str, Any] = {"instance": event, "prefix": prefix}
        if prefix == "reminders":
            kwargs["queryset"] = ReminderRule.objects.filter(kind__in=reminder_form_kind_names())
        if prefix == "reminders" and suggest_defaults:
            kwargs["initial"] = DEFAULT_REMINDERS
            formset_class = _formset(ReminderRule, ReminderRuleForm, extra=len(DEFAULT_REMINDERS))
        formsets[prefix] = formset_class(data, **kwargs)
    return formsets


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and clock time ``months`` later; the 31st becomes the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class DuplicateEventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_one_line])
    starts_at = WallClockDateTimeField(
        label=_("Starts"),
        help_text=_("In the event's time zone. The end and the registration window move with it."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.initial.setdefault("title", event.title)
        self.initial.setdefault(
            "starts_at", add_months(utc_to_local(event.starts_at, event.time_zone), 1)
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        convert_wall_clock_fields(self, ["starts_at"], self.event.time_zone)
        return cleaned


CANCELLATION_MESSAGE_MAX_LENGTH = 2000


class EventCancelForm(forms.Form):
    """The organizers' optional words to registrants, sent in the cancellation email."""

    message = forms.CharField(
        label=_("Message to registrants (optional)"),
        required=False,
        max_length=CANCELLATION_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Plain text, included in the cancellation email: why, and what happens next "
            "(a new date, a recording)."
        ),
    )

    def clean_message(self) -> str:
        message: str = self.cleaned_data["message"].replace("\r\n", "\n")
        if any(
            unicodedata.category(character) in {"Cc", "Cs"} and character not in "\n\t"
            for character in message
        ):
            raise ValidationError(_("Please remove invisible control characters."))
        return message
