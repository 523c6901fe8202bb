"""The whole reminder path on real services: beat's task on a Celery worker over Redis, the
dispatcher against PostgreSQL, the outbox sender talking SMTP to an aiosmtpd server."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from config.celery import app as celery_app
from notifications.models import OutboxEmail, ScheduledReminder
from notifications.reminders.selectors import reminder_unsubscribe_url
from notifications.reminders.tasks import dispatch_due_reminders
from tests.notifications.reminder_helpers import create_event, register
from tests.notifications.smtp import SmtpServer, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

# This helper's share of the machine's ports while helpers run side by side.
PORTS = range(8400, 8500)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer(port=free_port()) as server:
        yield server


@pytest.fixture
def worker(smtp: SmtpServer, tmp_path: Path) -> Iterator[Path]:
    """One worker on the test database and Redis; yields its log. Tasks go through Redis."""
    redis.Redis.from_url(settings.REDIS_URL).delete("default", "mail", "unacked", "unacked_index")
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    log = tmp_path / "worker.log"
    env["OUTBOX_RELAY_HEARTBEAT"] = str(tmp_path / "relay-heartbeat")
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, False
    with log.open("wb") as output, (tmp_path / "relay.log").open("wb") as relay_output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "--queues", "default,mail", "--loglevel", "INFO", "--without-heartbeat",
             "--without-gossip", "--without-mingle"],
            cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        # The dispatcher's outbox rows reach the worker through the relay.
        relay = subprocess.Popen(
            [sys.executable, "manage.py", "outbox_relay"],
            cwd=settings.BASE_DIR, env=env, stdout=relay_output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            assert wait_for(lambda: b" ready." in log.read_bytes(), timeout=60), log.read_text()
            yield log
        finally:
            celery_app.conf.task_always_eager = eager
            for child in (relay, process):
                child.terminate()
                child.wait(timeout=20)


def test_due_reminders_reach_the_smtp_server_with_one_click_unsubscribe(
    worker: Path, smtp: SmtpServer
) -> None:
    starts_at = timezone.now() + timedelta(hours=2)
    event = create_event(
        title="Voices at dusk", starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    registrations = [register(event, f"p{number}@example.org") for number in range(3)]
    ScheduledReminder.objects.filter(rule__minutes_before=60).update(
        due_at=timezone.now() - timedelta(seconds=5)
    )

    dispatch_due_reminders.delay()

    def reminders() -> list:
        # A long encoded subject is folded onto a continuation line: compare it stripped.
        return [
            m for m in smtp.handler.received if str(m["Subject"]).strip().startswith("Reminder:")
        ]

    assert wait_for(lambda: len(reminders()) == 3, timeout=60), worker.read_text()[-4000:]
    by_recipient = {str(message["To"]): message for message in reminders()}
    for registration in registrations:
        message = by_recipient[registration.email]
        # Folded onto a continuation line (the URL is long); whitespace there is allowed.
        unsubscribe = str(message["List-Unsubscribe"]).strip()
        assert unsubscribe == f"<{reminder_unsubscribe_url(registration)}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        email = OutboxEmail.objects.get(kind="reminder", registration=registration)
        assert message["Message-ID"] == email.message_id
        assert wait_for(lambda email=email: OutboxEmail.objects.get(pk=email.pk).status == "sent")
    assert set(
        ScheduledReminder.objects.filter(rule__minutes_before=60).values_list("status", flat=True)
    ) == {"sent"}
