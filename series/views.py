"""Public series pages: the series with its upcoming sessions, joining all of them, and the
personal link that shows them and leaves the series."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.cache_headers import private_page
from config.languages import supported_language
from config.rate_limit import rate_limit_exceeded
from events.markdown import render_markdown
from events.viewer import viewer_time_zone
from registrations.models import Registration
from registrations.selectors import privacy_statement_for
from registrations.services import Consent
from series.forms import SeriesJoinForm
from series.models import Series, SeriesRegistration
from series.selectors import (
    series_public,
    series_registration_from_token,
    series_registration_token,
)
from series.services import series_register, series_registration_leave, upcoming_sessions


def _series_or_404(slug: str) -> Series:
    series = series_public(slug=slug)
    if series is None:
        raise Http404(_("No such series."))
    return series


def _render_series_page(
    request: HttpRequest,
    series: Series,
    form: SeriesJoinForm,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    viewer_zone = viewer_time_zone(request)
    return render(
        request,
        "series/detail.html",
        {
            "series": series,
            "sessions": upcoming_sessions(series),
            "description_html": render_markdown(series.description),
            "viewer_zone": viewer_zone or series.time_zone,
            "form": form,
            "error": error,
            "privacy_statement": privacy_statement_for(
                organization=series.organization, language=get_language()
            ),
        },
        status=status,
    )


def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = _series_or_404(slug)
    form = SeriesJoinForm(
        series=series,
        initial={
            "time_zone": viewer_time_zone(request) or series.time_zone,
            "language": supported_language(getattr(request, "LANGUAGE_CODE", None)),
        },
    )
    return _render_series_page(request, series, form)


@require_POST
def series_join(request: HttpRequest, slug: str) -> HttpResponse:
    series = _series_or_404(slug)
    form = SeriesJoinForm(request.POST, series=series)
    if not series.is_active:
        return _render_series_page(
            request, series, form, status=409, error=_("This series has ended.")
        )
    if rate_limit_exceeded(request, group="registration", rate=settings.REGISTRATION_RATE_LIMIT):
        return _render_series_page(
            request,
            series,
            form,
            status=429,
            error=_("Too many registrations from your network. Please try again in a minute."),
        )
    if not form.is_valid():
        return _render_series_page(request, series, form, status=400)
    result = series_register(
        series=series,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        time_zone=form.cleaned_data["time_zone"],
        language=form.cleaned_data["language"],
        answers=form.answers(),
        consent=Consent(text=form.consent_line, language=get_language())
        if form.consent_line
        else None,
    )
    if series.organization.attendee_privacy or not result.created:
        # As for a single event: the personal link goes only to the inbox.
        return render(request, "series/check_email.html", {"series": series})
    token = series_registration_token(result.series_registration)
    return redirect("series:manage", token=token)


def _member_or_404(token: str) -> SeriesRegistration:
    member = series_registration_from_token(token)
    if member is None:
        raise Http404(_("This link is not valid."))
    return member


@private_page
def series_manage(request: HttpRequest, token: str) -> HttpResponse:
    member = _member_or_404(token)
    series = member.series
    sessions = upcoming_sessions(series)
    registrations = {
        registration.event_id: registration
        for registration in Registration.objects.filter(
            event__in=sessions, email_normalized=member.email_normalized
        ).exclude(status=Registration.Status.CANCELLED)
    }
    return render(
        request,
        "series/manage.html",
        {
            "member": member,
            "series": series,
            "token": token,
            "rows": [(event, registrations.get(event.pk)) for event in sessions],
            "viewer_zone": member.time_zone,
        },
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def series_leave(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks once; only the POST of that page leaves every future session."""
    member = _member_or_404(token)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "series/leave_confirm.html",
            {"member": member, "series": member.series, "token": token},
        )
    series_registration_leave(series_registration=member)
    messages.success(request, _("You have left the series; your future sessions are cancelled."))
    return redirect("series:manage", token=token)
