"""Privacy requests about one registrant: erase (with confirmation) and data export."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from series.selectors import series_registrations_of_registrant
from workspace.forms.privacy import EraseConfirmForm
from workspace.selectors.attendees import registration_for_event_or_404
from workspace.selectors.events import event_for_member_or_404
from workspace.services.privacy import registrant_data_export, registrant_erase
from workspace.views.support import acting_user


@login_required
@require_http_methods(["GET", "POST"])
def registration_erase(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id)
    registration = registration_for_event_or_404(event, registration_id)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not registration.is_erased and form.is_valid():
        registrant_erase(registration=registration, actor=acting_user(request))
        messages.success(request, _("The registrant's personal data has been erased."))
        return redirect(
            "workspace:registration_erase", event_id=event.pk, registration_id=registration.pk
        )
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "workspace/privacy/erase.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "series_registrations": series_registrations_of_registrant(
                event_id=event.pk, email_normalized=registration.email_normalized
            ),
        },
        status=status,
    )


@login_required
@require_GET
def registration_export(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id)
    registration = registration_for_event_or_404(event, registration_id)
    data = registrant_data_export(registration=registration, actor=acting_user(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="registration-{registration.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response
