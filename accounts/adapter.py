"""How allauth behaves in Convene (``ACCOUNT_ADAPTER``)."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.urls import reverse

from events.email_addresses import validate_email_domain_name
from notifications.models import OutboxEmail
from notifications.outbox import outbox_enqueue_rendered


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Organizers land in their workspace, everyone else on their registrations.

        Someone who signed up with a password is an organizer, with or without an
        organization yet: the workspace offers to create one. Attendees' accounts have no
        password (they sign in by code).
        """
        user = request.user
        if user.is_authenticated and (user.memberships.exists() or user.has_usable_password()):
            return reverse("workspace:home")
        return reverse("registrations:mine")

    def clean_email(self, email: str) -> str:
        """Sign-up, added addresses and password resets: no address literals (a@[10.0.0.1])."""
        validate_email_domain_name(email)
        return super().clean_email(email)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Write allauth's email (sign-in code, confirmation, password reset, notices) to the
        outbox instead of talking SMTP during the request (docs/design.md, "The outbox").

        It is rendered now by allauth's own ``render_mail``, in the request's language, and
        the worker sends it with retries; a mail server that refuses or defers it can no
        longer turn the sign-up or sign-in page into an error. The context is the one
        allauth 65's ``send_mail`` builds.
        """
        request = allauth_context.request
        full_context: dict[str, Any] = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        # A text body with an optional HTML alternative, or an HTML body alone.
        if message.content_subtype == "html":
            text_body, html_body = "", str(message.body)
        else:
            text_body, html_body = str(message.body), ""
        alternatives = message.alternatives if isinstance(message, EmailMultiAlternatives) else []
        for content, mimetype in alternatives:
            if mimetype == "text/html":
                html_body = str(content)
        outbox_enqueue_rendered(
            kind=OutboxEmail.Kind.ACCOUNT,
            recipient=email,
            subject=str(message.subject),
            text_body=text_body,
            html_body=html_body,
            # Which account email it was, for the admin; never the code or the link.
            context={"template": template_prefix},
        )
