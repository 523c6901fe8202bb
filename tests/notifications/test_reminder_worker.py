"""The beat task on a real Celery worker over Redis, against the test database."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from notifications.models import OutboxEmail, ScheduledReminder
from notifications.reminders.tasks import dispatch_due_reminders
from tests.notifications.reminder_helpers import create_event, register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

PROJECT = Path(__file__).resolve().parents[2]


def database_url_of_the_test_database() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[bytes]]:
    # Tasks left in these queues by an earlier run would be consumed first.
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("default", "mail")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_of_the_test_database(),
        "CONN_MAX_AGE": "0",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--queues",
            "default,mail",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=PROJECT,
        env=env,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_the_dispatch_task_runs_on_a_worker_and_writes_the_reminder_emails(
    worker: subprocess.Popen[bytes],
) -> None:
    starts_at = timezone.now() + timedelta(hours=2)
    event = create_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    for number in range(3):
        register(event, f"p{number}@example.org")
    ScheduledReminder.objects.filter(rule__minutes_before=60).update(
        due_at=timezone.now() - timedelta(seconds=5)
    )

    dispatch_due_reminders.delay()

    deadline = time.monotonic() + 60
    while OutboxEmail.objects.filter(kind="reminder").count() < 3:
        assert worker.poll() is None, "the worker stopped"
        assert time.monotonic() < deadline, "the worker did not dispatch within a minute"
        time.sleep(0.2)
    assert set(
        ScheduledReminder.objects.filter(rule__minutes_before=60).values_list("status", flat=True)
    ) == {"sent"}
