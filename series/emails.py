"""The one email about the series itself: "you are registered for every session"."""

from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import OutboxEmail
from notifications.outbox import outbox_enqueue_rendered
from series.models import SeriesRegistration
from series.selectors import series_registration_url


def series_welcome_email_send(*, series_registration: SeriesRegistration) -> OutboxEmail:
    """Write the welcome with the personal link to leave the series, in the caller's
    transaction. Each session's own confirmation (with its invite) is sent by the
    notifications app as for any registration; this one only carries the series link.
    Rendered now, in the registrant's language, like an invitation email: the link is known
    only here."""
    context = {
        "series": series_registration.series,
        "name": series_registration.name,
        "series_url": series_registration_url(series_registration),
    }
    with translation.override(series_registration.language):
        subject = render_to_string("series/email/welcome_subject.txt", context)
        text = render_to_string("series/email/welcome.txt", context)
        html = render_to_string("series/email/welcome.html", context)
    return outbox_enqueue_rendered(
        kind=OutboxEmail.Kind.SERIES,
        recipient=series_registration.email,
        subject=subject,
        text_body=text,
        html_body=html,
        language=series_registration.language,
        context={"series_registration_id": series_registration.pk},
    )
