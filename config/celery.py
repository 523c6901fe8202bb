"""The Celery app: broker and result settings come from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("convene")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Sub-packages are not apps; name them so their tasks.py modules are found too.
app.autodiscover_tasks(["notifications.reminders"])
