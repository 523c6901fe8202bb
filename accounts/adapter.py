"""How allauth behaves in Convene (``ACCOUNT_ADAPTER``)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Organizers land in their workspace, everyone else on their registrations."""
        if request.user.is_authenticated and request.user.memberships.exists():
            return reverse("workspace:home")
        return reverse("registrations:mine")
