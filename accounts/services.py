"""Accounts for people who only ever registered: they sign in with a code sent by email.

Attendees register without an account (docs/design.md, "People and accounts"). When one of them
asks for a sign-in code, an account without a password is made for the address, provided
registrations were made with it; the address is marked verified by allauth once the emailed
code is entered, and "My registrations" then lists everything made with it. An address with no
registrations gets no account, and the request looks exactly the same from outside (no
enumeration).
"""

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from accounts.models import User
from registrations.models import Registration
from registrations.selectors import normalize_email


def attendee_user_for_email(*, email: str) -> User | None:
    """A passwordless, not yet verified user for an address that has registrations.

    Returns None when the address has no registrations. Callers must only use this for an
    address that has no user yet; a concurrent request for the same address gets the
    user the other request made.
    """
    normalized = normalize_email(email)
    if not Registration.objects.filter(email_normalized=normalized).exists():
        return None
    try:
        with transaction.atomic():
            user = User(email=normalized)
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=normalized, primary=True, verified=False)
    except IntegrityError:
        # Made by a concurrent request a moment ago; a deactivated user stays locked out.
        return User.objects.filter(email=normalized, is_active=True).first()
    return user


def user_calendar_set(*, user: User, calendar: str) -> None:
    """Show this person dates in ``calendar`` (``User.Calendar``) whatever their language."""
    user.calendar = User.Calendar(calendar)
    user.save(update_fields=["calendar"])
