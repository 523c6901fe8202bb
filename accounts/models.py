from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager["User"]):
    """Users are identified by email alone; there is no username."""

    def _create_user_by_email(
        self, email: str, password: str | None, **extra_fields: Any
    ) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user_by_email(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        """A superuser whose address counts as verified: the admin's sign-in is allauth's
        (config/urls.py), which lets no one in with an unverified address, and an address
        typed in at the server by its operator needs no emailed link."""
        from allauth.account.models import EmailAddress

        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        user = self._create_user_by_email(email, password, **extra_fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user


class User(AbstractUser):
    class Calendar(models.TextChoices):
        # Each language's own calendar (settings.LANGUAGE_CALENDARS): Solar Hijri in Persian.
        LANGUAGE = "", _("The calendar of my language")
        GREGORIAN = "gregorian", _("Gregorian")

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    calendar = models.CharField(
        _("calendar"), max_length=16, blank=True, default="", choices=Calendar.choices
    )

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email
