"""Reminder rules in the admin: an inline on the event page (until the workspace has its form).

Events' own admin is extended, not copied: the registered EventAdmin is replaced by a
subclass that adds the inline and saves rules through the reminder services, so every
added, changed or deleted rule reschedules the event's reminders.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.admin import EventAdmin
from events.models import Event
from notifications.models import ReminderRule
from notifications.reminders.kinds import (
    reminder_form_kind_names,
    reminder_form_kinds,
    reminder_rule_clean,
)
from notifications.reminders.services import reminder_rule_delete, reminder_rule_save


class ReminderRuleForm(forms.ModelForm):
    class Meta:
        model = ReminderRule
        fields = ["kind", "minutes_before", "local_time"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Follow-ups after the end have their own page in the workspace (docs/attendance.md).
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(kind.name, kind.label) for kind in reminder_form_kinds()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            cleaned["minutes_before"], cleaned["local_time"] = reminder_rule_clean(
                kind=cleaned.get("kind", ""),
                minutes_before=cleaned.get("minutes_before"),
                local_time=cleaned.get("local_time"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class ReminderRuleFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[tuple[object, ...]] = set()
        for form in self.forms:
            if not form.is_valid() or (not form.has_changed() and form.instance.pk is None):
                continue
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            key = (data.get("kind"), data.get("minutes_before"), data.get("local_time"))
            if key in seen:
                form.add_error(None, _("This event already has that reminder."))
            seen.add(key)


class ReminderRuleInline(admin.TabularInline):
    model = ReminderRule
    form = ReminderRuleForm
    formset = ReminderRuleFormSet
    extra = 0
    verbose_name = gettext_lazy("reminder")
    verbose_name_plural = gettext_lazy(
        "Reminders (new events start with one day and one hour before the start)"
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(kind__in=reminder_form_kind_names())


class EventWithRemindersAdmin(EventAdmin):
    inlines = [*EventAdmin.inlines, ReminderRuleInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not ReminderRule:
            super().save_formset(request, form, formset, change)
            return
        rules = formset.save(commit=False)
        for rule in formset.deleted_objects:
            reminder_rule_delete(rule=rule)
        for rule in rules:
            reminder_rule_save(rule=rule)


admin.site.unregister(Event)
admin.site.register(Event, EventWithRemindersAdmin)
