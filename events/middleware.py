"""The calendar a signed-in person chose for themselves (``User.calendar``), for the request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from events.time_display import calendar_override


class CalendarPreferenceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        calendar = getattr(getattr(request, "user", None), "calendar", "")
        if not calendar:
            return self.get_response(request)
        with calendar_override(calendar):
            return self.get_response(request)
