"""A series' questions and reminders, edited as lists like an event's (workspace/forms/events.py).

The series' own fields and recurrence are ``series.forms.SeriesForm``.
"""

from typing import Any

from django.forms.models import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from series.models import Series, SeriesQuestion, SeriesReminderRule
from workspace.forms.events import PositionedInlineFormSet, QuestionForm, ReminderRuleForm


# Meta written out, not shared: an inline formset appends its foreign key to its form's
# Meta.fields list in place, and the event's formsets would add "event" to a shared one.
class SeriesQuestionForm(QuestionForm):
    class Meta:
        model = SeriesQuestion
        fields = ["label", "kind", "choices", "required"]
        widgets = dict(QuestionForm.Meta.widgets)


class SeriesReminderRuleForm(ReminderRuleForm):
    class Meta:
        model = SeriesReminderRule
        fields = ["kind"]
        labels = dict(ReminderRuleForm.Meta.labels)


class _SeriesListFormSet(PositionedInlineFormSet):
    """Rows that stay (not removed, not left empty), for the checks across rows."""

    def kept_forms(self) -> list[Any]:
        return [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and form.is_valid()
            and not form.cleaned_data.get("DELETE")
        ]


class SeriesQuestionFormSet(_SeriesListFormSet):
    def clean(self) -> None:
        super().clean()
        labels: set[str] = set()
        for form in self.kept_forms():
            label = form.cleaned_data.get("label")
            if label in labels:
                # Sessions' questions are matched to the series' by label (series.session_lists).
                form.add_error("label", _("Another question of this series asks this already."))
            labels.add(label)


class SeriesReminderRuleFormSet(_SeriesListFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[tuple[Any, ...]] = set()
        for form in self.kept_forms():
            rule = form.instance
            key = (rule.kind, rule.minutes_before, rule.local_time)
            if key in seen:
                form.add_error(None, _("This reminder is listed twice."))
            seen.add(key)


def series_list_formsets(series: Series, data: Any = None) -> dict[str, Any]:
    """The series' reminders and questions, each with one empty row to add one."""
    reminders = inlineformset_factory(
        Series,
        SeriesReminderRule,
        form=SeriesReminderRuleForm,
        formset=SeriesReminderRuleFormSet,
        extra=1,
        can_delete=True,
    )
    questions = inlineformset_factory(
        Series,
        SeriesQuestion,
        form=SeriesQuestionForm,
        formset=SeriesQuestionFormSet,
        extra=1,
        can_delete=True,
    )
    return {
        "reminders": reminders(data, instance=series, prefix="reminders"),
        "questions": questions(data, instance=series, prefix="questions"),
    }
