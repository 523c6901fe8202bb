"""Organizers' access to the Django admin: a group with just enough model permissions.

Every admin queryset is scoped to the organizations the user is a member of
(events/admin.py, registrations/admin.py), so these permissions only ever reach the user's own
organizations' rows. Organizations and memberships are read-only there: who belongs to an
organization is decided by its owner elsewhere. Events are never deleted (registrations point
at them); an organizer cancels instead. Permissions are named by app label, so this module
imports nothing above events.
"""

from django.contrib.auth.models import AbstractUser, Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

ORGANIZER_GROUP_NAME = "Organizers"
ORGANIZER_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "events": (
        "view_organization",
        "view_membership",
        "view_event",
        "add_event",
        "change_event",
        *(
            f"{action}_{model}"
            for model in ("speaker", "cosponsor", "question")
            for action in ("view", "add", "change", "delete")
        ),
    ),
    "registrations": ("view_registration", "change_registration"),
    # The reminder rules inline on the event page (notifications/reminders/admin.py).
    "notifications": tuple(
        f"{action}_reminderrule" for action in ("view", "add", "change", "delete")
    ),
    # Read-only pages (series/admin.py): series change through the workspace.
    "series": tuple(
        f"view_{model}"
        for model in (
            "series",
            "seriesregistration",
            "seriessession",
            "seriesquestion",
            "seriesreminderrule",
        )
    ),
}


def organizer_group_ensure() -> Group:
    """The "Organizers" group with exactly the permissions above (run after migrate)."""
    group, _ = Group.objects.get_or_create(name=ORGANIZER_GROUP_NAME)
    permissions = []
    for app_label, codenames in ORGANIZER_PERMISSIONS.items():
        found = list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
        missing = set(codenames) - {permission.codename for permission in found}
        if missing:
            raise ImproperlyConfigured(
                f"Permissions {sorted(missing)} do not exist; run `manage.py migrate` first."
            )
        permissions.extend(found)
    group.permissions.set(permissions)
    return group


def organizer_group_sync(**kwargs: object) -> None:
    """After ``migrate``: give an existing "Organizers" group the permissions listed above.

    Connected to ``post_migrate``, which fires once per app; until the last app's
    permissions exist, the group is left for a later call.
    """
    if not Group.objects.filter(name=ORGANIZER_GROUP_NAME).exists():
        return
    try:
        organizer_group_ensure()
    except ImproperlyConfigured:
        return


def organizer_admin_access_grant(*, user: AbstractUser) -> AbstractUser:
    """Let an organizer use the admin for their own organizations' events and registrations."""
    with transaction.atomic():
        user.groups.add(organizer_group_ensure())
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return user
