from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from registrations.models import Registration
from registrations.services import registration_change_time_zone


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "event", "status", "time_zone", "language", "created_at")
    list_filter = ("status", "language")
    search_fields = ("name", "email", "event__title")
    # Status and email change only through the registration services (capacity, waitlist,
    # duplicates are keyed on the normalized email); so do how the person was added and why
    # the organizers declined them (the workspace's approval and walk-in services).
    readonly_fields = (
        "event",
        "public_id",
        "status",
        "source",
        "rejection_reason",
        "email",
        "email_normalized",
        "created_at",
        "confirmed_at",
        "cancelled_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        queryset = super().get_queryset(request).select_related("event")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(event__organization__memberships__user_id=request.user.pk or 0)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Registrations go through the registration service (capacity, waitlist, email).
        return False

    def save_model(
        self, request: HttpRequest, obj: Registration, form: ModelForm, change: bool
    ) -> None:
        # A new zone moves reminders, so it goes through the service that says so.
        if change and "time_zone" in form.changed_data:
            new_time_zone = obj.time_zone
            obj.time_zone = form.initial["time_zone"]
            obj.save()
            registration_change_time_zone(registration=obj, time_zone=new_time_zone)
            return
        super().save_model(request, obj, form, change)
