from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/register/", views.event_register, name="register"),
    path(
        "events/<slug:slug>/already-registered/",
        views.registration_already_registered,
        name="already_registered",
    ),
    path(
        "events/<slug:slug>/check-your-email/",
        views.registration_check_email,
        name="check_email",
    ),
    path("r/<str:token>/", views.registration_manage, name="manage"),
    path("r/<str:token>/cancel/", views.registration_cancel_view, name="cancel"),
    path("my/registrations/", views.my_registrations, name="mine"),
]
