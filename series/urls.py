from django.urls import path

from series import views

app_name = "series"

urlpatterns = [
    # Before the slug routes: a personal link is never read as a series' page.
    path("series/r/<str:token>/", views.series_manage, name="manage"),
    path("series/r/<str:token>/leave/", views.series_leave, name="leave"),
    path("series/<slug:slug>/", views.series_detail, name="detail"),
    path("series/<slug:slug>/join/", views.series_join, name="join"),
]
