"""allauth form customizations, wired through ``ACCOUNT_FORMS`` in settings."""

from allauth.account.forms import RequestLoginCodeForm

from accounts.models import User
from accounts.services import attendee_user_for_email


class AttendeeRequestLoginCodeForm(RequestLoginCodeForm):
    """Also sends a code to an address that registered for events but never made an account.

    allauth looks the address up (and applies its rate limit) first; only when it knows no
    user is an account made, so people who registered can sign in to "My registrations".
    """

    _user: User | None

    def clean_email(self) -> str:
        email: str = super().clean_email()
        if email and self._user is None:
            self._user = attendee_user_for_email(email=email)
        return email
