from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from events.selectors import events_past, events_upcoming
from events.viewer import viewer_time_zone

EVENTS_PER_PAGE = 20


def event_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(events_upcoming(), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {"page": page, "viewer_zone": viewer_time_zone(request), "past": False},
    )


def event_list_past(request: HttpRequest) -> HttpResponse:
    page = Paginator(events_past(), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {"page": page, "viewer_zone": viewer_time_zone(request), "past": True},
    )
