from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from api.api import api
from config.admin_view_on_site import view_on_site_scoped

# Neither reads the request body again (config/error_views.py).
handler400 = "config.error_views.bad_request"
# The admin has no sign-in of its own: /admin/login/ sends people to allauth's, with its rate
# limits on failed attempts (per address and per client) and its verified-address rule.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    # Before the admin's own: "view on site" scoped to the user's organizations.
    path("admin/r/<int:content_type_id>/<path:object_id>/", view_on_site_scoped),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("manage/", include("workspace.urls")),
    path("reminders/", include("notifications.reminders.urls")),
    # events first: /events/past/ must win over /events/<slug>/.
    path("", include("events.urls")),
    # /events/<slug>/calendar.ics: more specific than the event page, so listed before it.
    path("", include("notifications.urls")),
    path("", include("registrations.urls")),
    path("", include("series.urls")),
]
