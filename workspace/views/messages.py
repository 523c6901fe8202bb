"""Messages to registrants: compose, preview, send once; delivery reports and failed emails."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Event
from notifications.models import OutboxEmail
from workspace.forms.messages import MessageComposeForm, MessageSendForm
from workspace.models import Message
from workspace.selectors.events import EventAccess, event_for_member_or_404
from workspace.selectors.messages import (
    delivery_counts,
    failed_emails_for_event,
    message_emails,
    message_for_event_or_none,
    message_recipients,
    messages_for_event,
)
from workspace.services.messages import MessageError, message_send
from workspace.views.support import acting_user

RECIPIENT_SAMPLE_SIZE = 10
EMAILS_PER_PAGE = 100


def _render_compose(
    request: HttpRequest, event: Event, form: MessageComposeForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "workspace/messages/list.html",
        {"event": event, "form": form, "sent_messages": messages_for_event(event)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_list(request: HttpRequest, event_id: int) -> HttpResponse:
    """The compose form and the messages sent so far.

    GET may carry the attendees page's filter (``?audience=waitlisted&search=ana``); a POST
    comes from the preview's "change" button and only fills the form again, it sends nothing.
    """
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    data = request.POST if request.method == "POST" else request.GET
    fields = (
        ("audience", "search", "subject", "body")
        if request.method == "POST"
        else ("audience", "search")
    )
    initial = {key: data[key] for key in fields if key in data}
    return _render_compose(request, event, MessageComposeForm(initial=initial))


@login_required
@require_POST
def message_preview(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    form = MessageComposeForm(request.POST)
    if not form.is_valid():
        return _render_compose(request, event, form, status=400)
    recipients = message_recipients(
        event=event, audience=form.cleaned_data["audience"], search=form.cleaned_data["search"]
    )
    recipient_count = recipients.count()
    sample = list(recipients[:RECIPIENT_SAMPLE_SIZE])
    send_form = MessageSendForm(initial={**form.cleaned_data, "send_key": uuid.uuid4()})
    return render(
        request,
        "workspace/messages/preview.html",
        {
            "event": event,
            "form": form,
            "send_form": send_form,
            "recipient_count": recipient_count,
            "recipient_sample": sample,
            "recipients_not_shown": recipient_count - len(sample),
            "audience_label": Message.Audience(form.cleaned_data["audience"]).label,
        },
    )


@login_required
@require_POST
def message_send_view(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    form = MessageSendForm(request.POST)
    if not form.is_valid():
        compose = MessageComposeForm(request.POST)
        compose.is_valid()
        if "send_key" in form.errors:
            compose.add_error(None, _("This form has expired. Please preview your message again."))
        return _render_compose(request, event, compose, status=400)
    try:
        result = message_send(
            event=event,
            sender=acting_user(request),
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            audience=form.cleaned_data["audience"],
            search=form.cleaned_data["search"],
            send_key=form.cleaned_data["send_key"],
        )
    except MessageError as error:
        compose = MessageComposeForm(request.POST)
        compose.is_valid()
        compose.add_error(None, error.message)
        return _render_compose(request, event, compose, status=409)
    if result.created:
        count = result.message.recipient_count
        messages.success(
            request,
            ngettext(
                "Your message is on its way to %(count)d person.",
                "Your message is on its way to %(count)d people.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("This message had already been sent; it was not sent again."))
    return redirect("workspace:message_detail", event_id=event.pk, message_id=result.message.pk)


@login_required
@require_GET
def message_detail(request: HttpRequest, event_id: int, message_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    message = message_for_event_or_none(event=event, message_id=message_id)
    if message is None:
        raise Http404("No such message.")
    emails = message_emails(message)
    return render(
        request,
        "workspace/messages/detail.html",
        {
            "event": event,
            "message": message,
            "counts": delivery_counts(emails),
            "failed": emails.filter(status=OutboxEmail.Status.FAILED),
            "page": Paginator(emails, EMAILS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


@login_required
@require_GET
def failed_emails(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    emails = failed_emails_for_event(event)
    return render(
        request,
        "workspace/messages/failed.html",
        {
            "event": event,
            "page": Paginator(emails, EMAILS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )
