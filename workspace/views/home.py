from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workspace.selectors import events_for_member


@login_required
def home(request: HttpRequest) -> HttpResponse:
    events = events_for_member(request.user).order_by("starts_at")  # type: ignore[arg-type]
    return render(request, "workspace/home.html", {"events": events})
