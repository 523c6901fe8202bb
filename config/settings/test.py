"""The test suite: fast hashing, mail kept in memory unless a test asks for SMTP."""

from config.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REGISTRATION_RATE_LIMIT = "1000/m"
SITE_URL = "https://convene.test"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost", "convene.test"]
# Tests never run collectstatic: let WhiteNoise look files up per request instead of warning
# that STATIC_ROOT does not exist.
WHITENOISE_AUTOREFRESH = True
