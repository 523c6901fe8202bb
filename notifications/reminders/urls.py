from django.urls import path

from notifications.reminders import views

app_name = "reminders"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.reminder_unsubscribe, name="unsubscribe"),
]
