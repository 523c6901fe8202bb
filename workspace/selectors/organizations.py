"""The organizations a signed-in user belongs to."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from events.models import Organization


def organizations_for_member(user: User) -> QuerySet[Organization]:
    """The active organizations the user belongs to; one waiting for approval is not yet."""
    return Organization.objects.filter(memberships__user=user, status=Organization.Status.ACTIVE)


def organizations_waiting_for_member(user: User) -> QuerySet[Organization]:
    """Organizations the user created that wait for a site admin, or were declined."""
    return Organization.objects.filter(memberships__user=user).exclude(
        status=Organization.Status.ACTIVE
    )


def organization_for_member_by_id_or_404(user: User, organization_id: int) -> Organization:
    """The organization with this id if the user belongs to it; otherwise 404, never a hint."""
    organization = organizations_for_member(user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404("No such organization.")
    return organization


def organization_for_member_by_slug_or_404(user: User, slug: str) -> Organization:
    """The organization with this slug if the user belongs to it; otherwise 404, never a hint."""
    organization = organizations_for_member(user).filter(slug=slug).first()
    if organization is None:
        raise Http404("No such organization.")
    return organization
