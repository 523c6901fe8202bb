"""Benchmark only (bench/registration.py): production settings plus a baseline URL.

Never used to serve people. The baseline endpoint exists only under this settings module,
so the product itself ships no such URL.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Templates reference static files; production expects `collectstatic` to have written a
# manifest first. The measured POSTs render no template, so plain storage is enough here.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
