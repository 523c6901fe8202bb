"""The series form (what sessions share, and the recurrence), and the join form.

Bad recurrences are field errors, never a 500: no end, a zero interval, more than
``MAX_SESSIONS`` sessions, a rule that gives no date at all.
"""

from dataclasses import replace
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.forms import MultilineTextField
from events.models import Event, Question
from events.wall_clock import FIRST_YEAR, LAST_YEAR
from registrations.forms import RegistrationForm
from registrations.selectors import registration_consent_line
from series.models import MAX_SESSIONS, Series, SeriesQuestion
from series.recurrence import (
    LAST_WEEK,
    Recurrence,
    first_dates,
    recurrence_from_text,
    skipped_months_note,
)

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
WEEK_OF_MONTH_CHOICES = [
    (1, _("first")),
    (2, _("second")),
    (3, _("third")),
    (4, _("fourth")),
    (LAST_WEEK, _("last")),
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateListField(MultilineTextField):
    """Dates one per line (YYYY-MM-DD), as a sorted list of ISO strings."""

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        dates: set[date] = set()
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                day = date.fromisoformat(line)
            except ValueError:
                raise forms.ValidationError(
                    _("“%(line)s” is not a date; write one date per line, like 2027-03-14."),
                    params={"line": line[:40]},
                ) from None
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise forms.ValidationError(_("Dates must lie between 1900 and 2999."))
            dates.add(day)
        return [day.isoformat() for day in sorted(dates)]


class SeriesForm(forms.ModelForm):
    """A series' shared fields and its recurrence; ``save`` stores the RRULE text."""

    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=[("daily", _("Daily")), ("weekly", _("Weekly")), ("monthly", _("Monthly"))],
    )
    interval = forms.IntegerField(
        label=_("Every"),
        initial=1,
        min_value=1,
        max_value=99,
        help_text=_("1 = every day / week / month, 2 = every other one, and so on."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Weekly: the days of the week. None ticked means the first date's day."),
    )
    monthly_by = forms.ChoiceField(
        label=_("Monthly on"),
        choices=[("day", _("a day of the month")), ("weekday", _("a weekday of the month"))],
        initial="weekday",
        required=False,
    )
    month_day = forms.IntegerField(
        label=_("Day of the month"), min_value=1, max_value=31, required=False
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Which"),
        choices=WEEK_OF_MONTH_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
    )
    month_weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=WEEKDAY_CHOICES, coerce=int, required=False, empty_value=None
    )
    join_url = forms.URLField(
        label=_("join link"), max_length=500, required=False, assume_scheme="https"
    )
    until = forms.DateField(label=_("Until"), required=False, widget=DATE_WIDGET)
    count = forms.IntegerField(
        label=_("Or for this many sessions"), min_value=1, max_value=MAX_SESSIONS, required=False
    )
    extra_dates = DateListField(
        label=_("Extra dates"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    skipped_dates = DateListField(
        label=_("Skipped dates"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Series
        fields = [
            "title",
            "kind",
            "description",
            "time_zone",
            "starts_on",
            "start_time",
            "duration_minutes",
            "venue_name",
            "venue_address",
            "join_url",
            "joining_instructions",
            "capacity",
            "horizon_days",
            "horizon_sessions",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "venue_address": forms.Textarea(attrs={"rows": 2}),
            "joining_instructions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["join_url"].widget.attrs["placeholder"] = "https://"
        self.note = ""
        if self.instance.pk and self.instance.rrule and not self.is_bound:
            recurrence = recurrence_from_text(self.instance.rrule)
            self.initial.update(
                frequency=recurrence.frequency,
                interval=recurrence.interval,
                weekdays=list(recurrence.weekdays),
                monthly_by="day" if recurrence.month_day else "weekday",
                month_day=recurrence.month_day,
                week_of_month=recurrence.week_of_month,
                month_weekday=recurrence.weekday,
                until=recurrence.until,
                count=recurrence.count,
                extra_dates="\n".join(self.instance.extra_dates),
                skipped_dates="\n".join(self.instance.skipped_dates),
            )

    def clean_starts_on(self) -> date:
        starts_on: date = self.cleaned_data["starts_on"]
        if not FIRST_YEAR <= starts_on.year <= LAST_YEAR:
            raise forms.ValidationError(_("Dates must lie between 1900 and 2999."))
        return starts_on

    def _recurrence(self, cleaned: dict[str, Any]) -> Recurrence | None:
        frequency = cleaned.get("frequency")
        starts_on = cleaned.get("starts_on")
        until, count = cleaned.get("until"), cleaned.get("count")
        if until is None and count is None and not self.has_error("count"):
            message = _("Give the series an end: a last date or a number of sessions.")
            self.add_error("until", message)
            self.add_error("count", message)
            return None
        if not frequency or "interval" not in cleaned or starts_on is None:
            return None
        if until is not None and count is not None:
            self.add_error("count", _("Give a last date or a number of sessions, not both."))
            return None
        if until is not None and until < starts_on:
            self.add_error("until", _("The last date is before the first."))
            return None
        recurrence = Recurrence(
            frequency=frequency, interval=cleaned["interval"], until=until, count=count
        )
        if frequency == "weekly":
            weekdays = tuple(cleaned.get("weekdays") or (starts_on.weekday(),))
            return replace(recurrence, weekdays=weekdays)
        if frequency != "monthly":
            return recurrence
        if cleaned.get("monthly_by") == "day":
            month_day = cleaned.get("month_day") or starts_on.day
            self.note = skipped_months_note(month_day)
            return replace(recurrence, month_day=month_day)
        week, weekday = cleaned.get("week_of_month"), cleaned.get("month_weekday")
        if week is None or weekday is None:
            self.add_error(
                "week_of_month", _("Choose which weekday of the month, e.g. the second Sunday.")
            )
            return None
        return replace(recurrence, week_of_month=week, weekday=weekday)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        recurrence = self._recurrence(cleaned)
        kind = cleaned.get("kind")
        if kind in {Event.Kind.IN_PERSON, Event.Kind.HYBRID} and not cleaned.get("venue_name"):
            self.add_error("venue_name", _("In-person and hybrid sessions need a venue."))
        if kind in {
            Event.Kind.WEBINAR,
            Event.Kind.AUDIO_ROOM,
            Event.Kind.HYBRID,
        } and not cleaned.get("join_url"):
            self.add_error("join_url", _("Online sessions need a join link."))
        if recurrence is None or "start_time" not in cleaned:
            return cleaned
        text = recurrence.rrule_text()
        dates = first_dates(
            text,
            starts_on=cleaned["starts_on"],
            start_time=cleaned["start_time"],
            limit=MAX_SESSIONS + 1,
        )
        extra, skipped = cleaned.get("extra_dates") or [], cleaned.get("skipped_dates") or []
        total = len(({day.isoformat() for day in dates} | set(extra)) - set(skipped))
        if not dates:
            self.add_error(
                "frequency", _("This recurrence gives no dates; check the first date and the end.")
            )
        elif len(dates) > MAX_SESSIONS or total > MAX_SESSIONS:
            self.add_error(
                "until" if recurrence.until else "count",
                _("A series has at most %(max)d sessions; choose an earlier last date.")
                % {"max": MAX_SESSIONS},
            )
        self.instance.rrule = text
        self.instance.extra_dates = extra
        self.instance.skipped_dates = skipped
        return cleaned


class SeriesJoinForm(RegistrationForm):
    """The registration form, asking the series' questions once for every session."""

    def __init__(self, *args: Any, series: Series, **kwargs: Any) -> None:
        # The series' questions, shaped as an event's (their ids name the answers).
        questions = [
            Question(
                pk=question.pk,
                label=question.label,
                kind=question.kind,
                choices=question.choices,
                required=question.required,
            )
            for question in SeriesQuestion.objects.filter(series=series)
        ]
        super().__init__(
            *args,
            event=Event(time_zone=series.time_zone),
            questions=questions,
            consent_line=registration_consent_line(organization=series.organization),
            **kwargs,
        )
        self.series = series
