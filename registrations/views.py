"""Public registration pages: the event page with its form, and the personal manage page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.cache_headers import private_page
from config.languages import supported_language
from config.rate_limit import rate_limit_exceeded
from events.markdown import render_markdown
from events.models import Event
from events.selectors import event_in_language, event_public, question_texts
from events.timezones import is_valid_time_zone
from events.viewer import viewer_time_zone
from registrations.forms import RegistrationForm
from registrations.models import Registration
from registrations.page_cache import event_page_cached, seats_left_text
from registrations.selectors import (
    event_open_for_registration,
    privacy_statement_for,
    registration_closed_reason,
    registration_consent_line,
    registration_from_manage_token,
    registration_manage_token,
    registrations_for_emails,
    waitlist_position,
)
from registrations.services import (
    Consent,
    RegistrationError,
    registration_cancel,
    registration_create,
)


def _public_event_or_404(slug: str) -> Event:
    event = event_public(slug=slug)
    if event is None:
        raise Http404(_("No such event."))
    return event


def _register_label(event: Event) -> str:
    """What the form's button does: a seat, the waitlist, or a request the organizers decide."""
    if event.approval_required:
        return _("Ask for a seat")
    if event.seats_left == 0:
        return _("Join the waitlist")
    return _("Register")


def _render_event_page(
    request: HttpRequest,
    event: Event,
    form: RegistrationForm,
    *,
    status: int = 200,
    error: str | None = None,
    extra_context: dict[str, str] | None = None,
) -> HttpResponse:
    viewer_zone = viewer_time_zone(request)
    # The organizer's text in the page's language where they gave it (docs/design.md, "Languages").
    shown = event_in_language(event, language=get_language())
    form.show_questions_in(
        question_texts(event=event, questions=form.questions, language=shown.language)
    )
    return render(
        request,
        "registrations/event_detail.html",
        {
            "event": shown,
            "description_html": render_markdown(shown.description),
            "canonical_url": settings.SITE_URL + event.get_absolute_url(),
            "viewer_zone": viewer_zone or event.time_zone,
            "viewer_zone_known": viewer_zone is not None,
            "closed_reason": registration_closed_reason(event=event),
            "register_label": _register_label(event),
            "seats_left_text": seats_left_text(event.seats_left or 0),
            "form": form,
            "error": error,
            "privacy_statement": privacy_statement_for(
                organization=event.organization, language=get_language()
            ),
            **(extra_context or {}),
        },
        status=status,
    )


def _initial_form(request: HttpRequest, event: Event) -> RegistrationForm:
    language = getattr(request, "LANGUAGE_CODE", None)
    return RegistrationForm(
        event=event,
        consent_line=registration_consent_line(organization=event.organization),
        initial={
            "time_zone": viewer_time_zone(request) or event.time_zone,
            # The page's language: a reader of the Persian page gets Persian emails.
            "language": supported_language(language),
        },
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def render(extra_context: dict[str, str] | None = None) -> HttpResponse:
        event = _public_event_or_404(slug)
        form = _initial_form(request, event)
        return _render_event_page(request, event, form, extra_context=extra_context)

    # Anonymous visitors share a copy per language and zone (registrations/page_cache.py).
    try:
        cached = event_page_cached(request, slug=slug, render=render)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None
    return cached or render()


@require_POST
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    found = event_open_for_registration(slug=slug)
    if found is None:
        raise Http404(_("No such event."))
    event, questions, attendee_privacy = found
    form = RegistrationForm(
        request.POST,
        event=event,
        questions=questions,
        consent_line=registration_consent_line(organization=event.organization),
    )
    if rate_limit_exceeded(request, group="registration", rate=settings.REGISTRATION_RATE_LIMIT):
        return _render_event_page(
            request,
            event,
            form,
            status=429,
            error=_("Too many registrations from your network. Please try again in a minute."),
        )
    if not form.is_valid():
        return _render_event_page(request, event, form, status=400)
    try:
        result = registration_create(
            event=event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            time_zone=form.cleaned_data["time_zone"],
            language=form.cleaned_data["language"],
            answers=form.answers(),
            consent=Consent(text=form.consent_line, language=get_language())
            if form.consent_line
            else None,
        )
    except RegistrationError as error:
        return _render_event_page(request, event, form, status=409, error=error.message)
    if attendee_privacy:
        # One answer whether the address was new or known (README: Attendee privacy): the
        # same redirect, no message cookie; the personal link goes only to the inbox.
        return redirect("registrations:check_email", slug=event.slug)
    if not result.created:
        # Whoever typed the address may not own it: the registration and its manage link go
        # only to the address itself (re-sent by the notifications app), never to this page.
        return redirect("registrations:already_registered", slug=event.slug)
    token = registration_manage_token(result.registration)
    return redirect(reverse("registrations:manage", kwargs={"token": token}) + "?new=1")


@require_GET
def registration_already_registered(request: HttpRequest, slug: str) -> HttpResponse:
    """Where a repeated registration lands: the details are in the registrant's inbox."""
    event = _public_event_or_404(slug)
    return render(
        request, "registrations/already_registered.html", {"event": event_in_language(event)}
    )


@require_GET
def registration_check_email(request: HttpRequest, slug: str) -> HttpResponse:
    """Where every registration lands when the organization keeps attendance private."""
    event = _public_event_or_404(slug)
    return render(request, "registrations/check_email.html", {"event": event_in_language(event)})


def _registration_or_404(token: str) -> Registration:
    registration = registration_from_manage_token(token)
    if registration is None:
        raise Http404(_("This link is not valid."))
    return registration


@private_page
def registration_manage(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    event = registration.event
    viewer_zone = registration.time_zone
    return render(
        request,
        "registrations/manage.html",
        {
            "registration": registration,
            "event": event_in_language(event),
            "token": token,
            "just_registered": request.GET.get("new") == "1",
            "viewer_zone": viewer_zone if is_valid_time_zone(viewer_zone) else event.time_zone,
            "waitlist_position": waitlist_position(registration),
            "show_join_details": registration.status == Registration.Status.CONFIRMED
            and not event.is_cancelled,
            "manage_url": request.build_absolute_uri(
                reverse("registrations:manage", kwargs={"token": token})
            ),
        },
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks once; only the POST of that page, which says so, gives the seat away."""
    registration = _registration_or_404(token)
    if registration.status == Registration.Status.CANCELLED:
        return redirect("registrations:manage", token=token)
    if registration.event.has_ended:
        messages.error(
            request, _("This event has already taken place; its registrations no longer change.")
        )
        return redirect("registrations:manage", token=token)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "registrations/cancel_confirm.html",
            {
                "registration": registration,
                "event": event_in_language(registration.event),
                "token": token,
            },
        )
    try:
        registration_cancel(registration=registration)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("registrations:manage", token=token)


@private_page
@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    verified = list(
        request.user.emailaddress_set.filter(verified=True).values_list("email", flat=True)  # type: ignore[union-attr]
    )
    registrations = [
        (registration, registration_manage_token(registration))
        for registration in registrations_for_emails(verified)
    ]
    return render(
        request,
        "registrations/my_registrations.html",
        {"registrations": registrations, "has_verified_email": bool(verified)},
    )
