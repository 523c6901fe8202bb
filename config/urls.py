from django.contrib import admin
from django.urls import include, path

from api.api import api

urlpatterns = [
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
]
