"""The Celery app: broker and result settings come from Django settings (``CELERY_*``)."""

import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("convene")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Sub-packages are not apps; name them so their tasks.py modules are found too.
app.autodiscover_tasks(["notifications.reminders"])


@setup_logging.connect
def configure_logging_from_django(**_: Any) -> None:
    """Workers log through Django's LOGGING (and so its address filter), not Celery's own
    set-up: a receiver of this signal tells Celery to leave logging alone."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
