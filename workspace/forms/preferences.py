"""A signed-in person's own display choices."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from events.time_display import CALENDAR_NAMES, GREGORIAN, language_calendar


class CalendarForm(forms.Form):
    """The calendar dates are shown in: the language's own (Solar Hijri in Persian), or the
    Gregorian one."""

    calendar = forms.ChoiceField(label=_("Show dates in"), choices=User.Calendar.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["calendar"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (User.Calendar.LANGUAGE, CALENDAR_NAMES[language_calendar()]),
            (User.Calendar.GREGORIAN, CALENDAR_NAMES[GREGORIAN]),
        ]
