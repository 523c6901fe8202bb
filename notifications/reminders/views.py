"""One-click unsubscribe from reminders (RFC 8058).

The same URL serves both: GET shows a page with a confirm button (link scanners and
previews must not unsubscribe anyone), POST unsubscribes. Mail clients POST
``List-Unsubscribe=One-Click`` with no cookies, so the POST needs no CSRF token; the signed
token in the URL is the credential. It answers 200 with the page, never a redirect.

The page does not link to the registration's manage page: reminders get forwarded, and the
unsubscribe link must not give whoever holds it the power to cancel.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from events.selectors import event_in_language
from notifications.reminders.selectors import (
    registration_from_unsubscribe_token,
    reminders_opted_out,
)
from notifications.reminders.services import reminder_opt_out


@csrf_exempt
@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_from_unsubscribe_token(token)
    if registration is None:
        raise Http404(_("This unsubscribe link is not valid."))
    if request.method == "POST":
        reminder_opt_out(registration=registration)
        opted_out = True
    else:
        opted_out = reminders_opted_out(registration)
    response = render(
        request,
        "notifications/reminders/unsubscribe.html",
        {
            "registration": registration,
            "event": event_in_language(registration.event),
            "opted_out": opted_out,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
