"""allauth form customizations, wired through ``ACCOUNT_FORMS`` in settings."""

from allauth.account.forms import RequestLoginCodeForm

from accounts.models import User
from accounts.services import attendee_user_for_email
from events.email_addresses import validate_email_domain_name


class AttendeeRequestLoginCodeForm(RequestLoginCodeForm):
    """Also sends a code to an address that registered for events but never made an account.

    allauth looks the address up (and applies its rate limit) first; only when it knows no
    user is an account made, so people who registered can sign in to "My registrations".
    """

    _user: User | None

    def clean_email(self) -> str:
        # Before allauth's look-up, which sends a "no account" email to unknown addresses.
        validate_email_domain_name(self.cleaned_data.get("email", ""))
        email: str = super().clean_email()
        if email and self._user is None:
            self._user = attendee_user_for_email(email=email)
        return email
