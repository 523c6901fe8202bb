"""The admin's "view on site" redirect (``/admin/r/<content type>/<id>/``), scoped.

Django's own (``contenttypes.views.shortcut``) asks only that the user is staff: an organizer
could follow it to any object with a ``get_absolute_url``, by id, and so learn the address of
another organization's draft event or export. This one looks the object up through its model's
admin, whose queryset is scoped to the user's organizations (events/admin.py), and answers 404
for anything that admin would not show, or for a model without an admin.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect


def view_on_site(
    request: HttpRequest, content_type_id: int, object_id: str
) -> HttpResponseRedirect:
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type is not None else None
    if model is None:
        raise Http404
    try:
        model_admin = admin.site.get_model_admin(model)
    except NotRegistered:
        raise Http404 from None
    try:
        found = model_admin.get_queryset(request).filter(pk=object_id).first()
    except (ValueError, ValidationError):  # an id of the wrong type
        found = None
    if (
        found is None
        or not model_admin.has_view_or_change_permission(request, found)
        or not hasattr(found, "get_absolute_url")
    ):
        raise Http404
    return HttpResponseRedirect(found.get_absolute_url())


# The admin's own checks first (signed in, staff, active), as for every admin page.
view_on_site_scoped = admin.site.admin_view(view_on_site)
