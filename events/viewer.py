"""The viewer's time zone, told by their browser (a cookie set by static/js/timezone.js)."""

from urllib.parse import unquote

from django.http import HttpRequest

from events.timezones import is_valid_time_zone

TIME_ZONE_COOKIE = "convene_tz"


def viewer_time_zone(request: HttpRequest) -> str | None:
    # The script percent-encodes the value ("Asia%2FTehran"); Django hands cookies over raw.
    zone = unquote(request.COOKIES.get(TIME_ZONE_COOKIE, ""))
    return zone if is_valid_time_zone(zone) else None
