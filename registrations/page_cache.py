"""The event page for anonymous visitors, cached per language and viewer zone.

On launch day most visitors only look at the event page. Rendering it afresh cost four
queries and the template each time; a cached copy costs one light query (the event row, so
a missing or withdrawn event is a 404 at once, and "full" is always current) and a lookup
in this process's memory (the ``pages`` cache).

What makes a copy safe to share:

- **Only for visitors with nothing of their own on the page:** no session cookie (so not
  signed in, no flash messages in the session), no messages cookie, no query string.
  Everyone else gets the page rendered for them.
- **The CSRF token is not in the copy:** the page is rendered with a marker in its place,
  and each response gets the visitor's own token (``get_token``, which also sets the
  cookie), so the form posts as before.
- **The key holds what the page shows from the visitor and the clock:** the language, the
  viewer's zone (the form's default and every time on the page), whether the event is full
  and why registration is closed if it is, and when the event was last saved. Its seats-left
  line is a marker too, filled in from the row read for this response, so the figure is
  always current, and a full event never shows seats: the moment the row says full, the key
  changes. An edit of the event itself, or of its text in another language (which touches
  the event), changes the key at once (``updated_at``); what the page shows from other rows
  (questions, co-hosts, the organization's name) follows within EVENT_PAGE_CACHE_SECONDS
  (30), how long a copy lives.

docs/design.md, "The event page cache".
"""

import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.translation import ngettext

from events.models import Event
from events.time_display import localize_digits
from events.viewer import viewer_time_zone
from registrations.selectors import registration_closed_reason

# What the key needs of the event, written once: compiling the ORM's query cost more CPU than
# the rest of a cached view (docs/benchmarks.md, "Launch-day spike"). Names from the model,
# no input: nothing here can inject.
_EVENT_STATE_FIELDS = {
    "id",
    "status",
    "capacity",
    "seats_taken",
    "ends_at",
    "updated_at",
    "registration_opens_at",
    "registration_closes_at",
}
_EVENT_STATE_COLUMNS = [
    field for field in Event._meta.concrete_fields if field.name in _EVENT_STATE_FIELDS
]
_EVENT_STATE_ATTNAMES = [field.attname for field in _EVENT_STATE_COLUMNS]
_EVENT_STATE_SQL = "SELECT {columns} FROM {table} WHERE slug = %s AND status <> %s".format(  # noqa: S608
    columns=", ".join(field.column for field in _EVENT_STATE_COLUMNS),
    table=Event._meta.db_table,
)


def _event_state(slug: str) -> Event | None:
    """The event's row, only the fields above. A plain cursor and ``from_db`` save about
    0.1 ms per view over ``Event.objects.raw`` (docs/benchmarks.md, "Launch-day spike")."""
    with connection.cursor() as cursor:
        cursor.execute(_EVENT_STATE_SQL, [slug, Event.Status.DRAFT])
        row = cursor.fetchone()
    if row is None:
        return None
    # What the ORM's compiler applies (SQLite hands timestamps back as text).
    values = []
    for field, value in zip(_EVENT_STATE_COLUMNS, row, strict=True):
        column = field.cached_col
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        for convert in converters:
            value = convert(value, column, connection)
        values.append(value)
    return Event.from_db(connection.alias, _EVENT_STATE_ATTNAMES, values)


# Stand in for the CSRF token and the seats-left line in a cached copy; letters only, so no
# escaping changes them.
CSRF_MARKER = "convenecsrfmarkerQkVYbWzpTnAhRdJsLuXe"
SEATS_LEFT_MARKER = "conveneseatsmarkerVhTrXbQmZwLpKdNsYj"


def seats_left_text(seats: int) -> str:
    """ "3 seats left", in the active language, as the event page writes it."""
    return ngettext("%(seats)s seat left", "%(seats)s seats left", seats) % {
        "seats": localize_digits(str(seats))
    }


def _shareable(request: HttpRequest) -> bool:
    return not (
        request.GET
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
    )


def event_page_cached(
    request: HttpRequest, *, slug: str, render: Callable[[dict[str, str]], HttpResponse]
) -> HttpResponse | None:
    """The cached event page for this visitor, rendering it on a miss; None if not shareable.

    ``render(extra_context)`` renders the page in full; ``extra_context`` replaces the CSRF
    token with the marker. Raises ``Event.DoesNotExist`` for an event that is not public.
    """
    if not _shareable(request):
        return None
    event = _event_state(slug)
    if event is None:
        raise Event.DoesNotExist(slug)
    key = "|".join(
        [
            "event-page",
            str(event.pk),
            getattr(request, "LANGUAGE_CODE", "") or "",
            viewer_time_zone(request) or "",
            "full" if event.seats_left == 0 else "open",
            event.updated_at.isoformat(),
            str(zlib.crc32(str(registration_closed_reason(event=event) or "").encode())),
        ]
    )
    pages = caches["pages"]
    cached: tuple[str, str] | None = pages.get(key)
    if cached is None:
        response = render({"csrf_token": CSRF_MARKER, "seats_left_text": SEATS_LEFT_MARKER})
        if response.status_code != 200:
            return response
        cached = (response.content.decode(), response["Content-Type"])
        pages.set(key, cached, timeout=settings.EVENT_PAGE_CACHE_SECONDS)
    content, content_type = cached
    # The seats left come from the row just read: a copy never shows an old figure.
    seats = event.seats_left
    if seats:
        content = content.replace(SEATS_LEFT_MARKER, escape(seats_left_text(seats)))
    return HttpResponse(content.replace(CSRF_MARKER, get_token(request)), content_type)
