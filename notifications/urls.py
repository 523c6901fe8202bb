from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="event_calendar"),
    path("o/<slug:slug>/calendar.ics", views.organization_calendar, name="organization_calendar"),
    path("r/<str:token>/invite.ics", views.registration_invite, name="registration_invite"),
]
