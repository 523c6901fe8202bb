"""Registration statistics of one event, with a chart drawn on the server."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from events.time_display import format_date as date_format
from events.timezones import zone_label
from workspace.charts import BarChart, ChartPoint, bar_chart
from workspace.selectors.events import EventAccess, event_for_member_or_404
from workspace.selectors.stats import DailyCount, event_registration_stats
from workspace.views.support import acting_user


def _per_day_chart(per_day: list[DailyCount], zone_name: str) -> BarChart | None:
    if not per_day:
        return None
    total = sum(day.count for day in per_day)
    busiest = max(per_day, key=lambda day: day.count)
    description = ngettext(
        "%(total)d registration from %(first)s to %(last)s, by day in %(zone)s time.",
        "%(total)d registrations from %(first)s to %(last)s, by day in %(zone)s time.",
        total,
    ) % {
        "total": total,
        "first": date_format(per_day[0].day, "j F Y"),
        "last": date_format(per_day[-1].day, "j F Y"),
        "zone": zone_label(zone_name),
    }
    description += " " + ngettext(
        "The busiest day was %(day)s with %(count)d registration.",
        "The busiest day was %(day)s with %(count)d registrations.",
        busiest.count,
    ) % {"day": date_format(busiest.day, "j F Y"), "count": busiest.count}
    return bar_chart(
        points=[
            ChartPoint(
                short_label=date_format(day.day, "j M"),
                long_label=date_format(day.day, "D j M Y"),
                value=day.count,
            )
            for day in per_day
        ],
        title=_("Registrations per day"),
        description=description,
    )


@login_required
@require_GET
def event_stats(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.VIEW)
    stats = event_registration_stats(event)
    return render(
        request,
        "workspace/stats/event_stats.html",
        {
            "event": event,
            "stats": stats,
            "chart": _per_day_chart(stats.per_day, event.time_zone),
            "zone_label": zone_label(event.time_zone),
        },
    )
