"""`make run` on a developer's machine: debug on, everything embedded."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Webhooks may go to loopback and http:// receivers here (never in production).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
