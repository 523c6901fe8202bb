"""The test suite: fast hashing, mail kept in memory unless a test asks for SMTP."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import EMAIL_HOST, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not EMAIL_HOST:
    # pytest-django uses locmem in the test process anyway; a Celery worker started by an
    # integration test with these settings gets EMAIL_HOST pointing at the test's SMTP server.
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks queued on commit run in the test process, so tests see the email a user would get.
# Integration tests switch this off to go through the real broker and worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REGISTRATION_RATE_LIMIT = "1000/m"
# A template that reads a reader's value a batch's shared render lacks fails the test that
# renders it (notifications/mail_merge.py; docs/design.md, "Contracts that are easy to miss").
MAIL_MERGE_STRICT = True
SITE_URL = "https://convene.test"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost", "convene.test"]
# Tests never run collectstatic: let WhiteNoise look files up per request instead of warning
# that STATIC_ROOT does not exist.
WHITENOISE_AUTOREFRESH = True
# Files the tests write (export jobs) stay out of the project's var/ folder.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "convene-test-media"
# Webhooks may go to loopback and http:// receivers here (never in production).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
# The API tests set their own limits where they test them.
API_RATE_LIMIT = "10000/m"
API_PUBLIC_RATE_LIMIT = "10000/m"
