from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("events/past/", views.event_list_past, name="past"),
    path("o/<slug:slug>/", views.organization_page, name="organization"),
    path("o/<slug:slug>/feed.atom", views.organization_feed, name="organization_feed"),
    path("o/<slug:slug>/logo/<str:filename>", views.organization_logo, name="organization_logo"),
]
