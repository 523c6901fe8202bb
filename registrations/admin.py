from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from registrations.models import Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "event", "status", "time_zone", "language", "created_at")
    list_filter = ("status", "language")
    search_fields = ("name", "email", "event__title")
    readonly_fields = (
        "event",
        "public_id",
        "status",
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
