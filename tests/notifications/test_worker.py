"""The whole path: PostgreSQL, a real Redis broker, a real Celery worker, a real SMTP server.

Each test starts ``celery -A config worker`` as a subprocess against the test database and
this helper's Redis db, with EMAIL_HOST/PORT pointing at an aiosmtpd server on loopback, and
short retry delays so the suite stays fast.
"""

import itertools
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import vobject
from django.conf import settings
from django.db import transaction
from django.test import Client

from config.celery import app as celery_app
from notifications.models import OutboxEmail
from notifications.outbox import outbox_email_for, outbox_enqueue, outbox_enqueue_bulk
from notifications.tasks import requeue_stuck_outbox_emails
from registrations.models import Registration
from tests.factories import EventFactory
from tests.notifications.helpers import calendar_part
from tests.notifications.smtp import SmtpServer, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

BASE_DIR = Path(settings.BASE_DIR)
RETRY_BASE_DELAY = 0.5
STUCK_AFTER = 2.0
MARK_SENT_EVERY = 2


class Worker:
    """One ``celery worker`` process (prefork, one child) and its log."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--queues",
                "mail,default",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"h3-test-{uuid.uuid4().hex[:8]}@%h",
                "--loglevel",
                "INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if not wait_for(lambda: b" ready." in log_path.read_bytes(), timeout=60):
            self.stop()
            raise AssertionError(f"worker did not start:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def pool_child(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()]
        assert len(pids) == 1, pids
        return pids[0]

    def kill_everything(self) -> None:
        """SIGKILL the worker and its pool: nothing gets to acknowledge or clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        # No graceful shutdown needed: the test's Redis db is flushed and PostgreSQL drops
        # the connections of a dead process at once.
        if self.process.poll() is None:
            self.kill_everything()
        self.log.close()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def start_worker(
    transactional_db: None, smtp: SmtpServer, tmp_path: Path
) -> Iterator[Callable[[], Worker]]:
    """Start workers on demand; every one is stopped before the database is flushed."""
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": (
            f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "5",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "OUTBOX_RETRY_BASE_DELAY": str(RETRY_BASE_DELAY),
        "OUTBOX_RETRY_MAX_DELAY": "5",
        "OUTBOX_STUCK_AFTER": str(STUCK_AFTER),
        "OUTBOX_MARK_SENT_EVERY": str(MARK_SENT_EVERY),
        "CELERY_WORKER_LOST_WAIT": "1",
    }
    workers: list[Worker] = []
    # This process publishes to the real broker instead of running tasks in line.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False

    def start() -> Worker:
        worker = Worker(env, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = eager
        for worker in workers:
            worker.stop()


def row(pk: int) -> OutboxEmail:
    return OutboxEmail.objects.get(pk=pk)


def test_a_registration_confirmation_arrives_with_a_valid_invite(
    start_worker: Callable[[], Worker], smtp: SmtpServer, client: Client
) -> None:
    worker = start_worker()
    event = EventFactory(slug="poetry", title="Poetry night")

    response = client.post(
        "/events/poetry/register/",
        {"name": "Ana", "email": "ana@example.org", "time_zone": "Asia/Tehran", "language": "en"},
    )

    assert response.status_code == 302
    assert wait_for(lambda: len(smtp.handler.received) == 1), worker.output()
    (message,) = smtp.handler.received
    assert message["Subject"] == "You're registered: Poetry night"
    invite = vobject.readOne(calendar_part(message))
    registration = Registration.objects.get(event=event)
    assert invite.method.value == "REQUEST"
    assert invite.vevent.uid.value == f"{registration.public_id}@convene.test"
    assert invite.vevent.attendee.value == "mailto:ana@example.org"
    email = OutboxEmail.objects.get(registration=registration)
    assert wait_for(lambda: row(email.pk).status == "sent")
    assert message["Message-ID"] == email.message_id


def test_a_server_saying_421_three_times_gets_the_email_on_the_fourth_try(
    start_worker: Callable[[], Worker], smtp: SmtpServer
) -> None:
    worker = start_worker()
    smtp.handler.scripted["busy@example.org"] = ["421 4.3.2 Try again later"] * 3

    with transaction.atomic():
        email = outbox_enqueue(
            kind="message",
            registration=None,
            recipient="busy@example.org",
            context={"subject": "Hello", "body": "Hi"},
        )

    assert wait_for(lambda: row(email.pk).status == "sent", timeout=30), worker.output()
    sent = row(email.pk)
    assert sent.attempts == 4
    assert "421 4.3.2 Try again later" in sent.last_error
    attempts = smtp.handler.attempts
    assert [attempt.answer[:3] for attempt in attempts] == ["421", "421", "421", "250"]
    assert {attempt.message_id for attempt in attempts} == {email.message_id}
    # Backoff doubles from RETRY_BASE_DELAY with ±20 % jitter: 0.5, 1, 2 s (plus the trip).
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(attempts)]
    assert gaps[0] < gaps[1] < gaps[2], gaps
    for gap, nominal in zip(gaps, [1, 2, 4], strict=True):
        assert gap >= 0.8 * nominal * RETRY_BASE_DELAY, gaps


def test_a_550_fails_the_email_at_once_with_the_servers_answer(
    start_worker: Callable[[], Worker], smtp: SmtpServer
) -> None:
    worker = start_worker()
    smtp.handler.scripted["gone@example.org"] = ["550 5.1.1 Mailbox does not exist"]

    with transaction.atomic():
        email = outbox_enqueue(
            kind="message",
            registration=None,
            recipient="gone@example.org",
            context={"subject": "Hello", "body": "Hi"},
        )

    assert wait_for(lambda: row(email.pk).status == "failed"), worker.output()
    time.sleep(3 * RETRY_BASE_DELAY)  # a retry, had one been scheduled, would have come
    failed = row(email.pk)
    assert failed.attempts == 1
    assert "550 5.1.1 Mailbox does not exist" in failed.last_error
    assert len(smtp.handler.attempts) == 1


def _enqueue_batch(count: int) -> list[OutboxEmail]:
    event = EventFactory()
    with transaction.atomic():
        registrations = [
            Registration.objects.create(
                event=event,
                name=f"Person {n}",
                email=f"person{n}@example.org",
                email_normalized=f"person{n}@example.org",
                time_zone="Europe/Berlin",
                status=Registration.Status.CONFIRMED,
            )
            for n in range(count)
        ]
        ids = outbox_enqueue_bulk(
            emails=[
                outbox_email_for(
                    kind="message",
                    registration=registration,
                    context={"subject": "Doors open at 18:00", "body": "See you."},
                )
                for registration in registrations
            ]
        )
    return list(OutboxEmail.objects.filter(pk__in=ids))


def _assert_everything_delivered(emails: list[OutboxEmail], smtp: SmtpServer, log: str) -> None:
    ids = [email.pk for email in emails]
    delivered = wait_for(
        lambda: (
            set(OutboxEmail.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
        ),
        timeout=30,
    )
    assert delivered, log
    received = smtp.handler.received_ids()
    assert set(received) == {email.message_id for email in emails}
    # At least once: only emails sent but not yet marked (at most one group of
    # OUTBOX_MARK_SENT_EVERY, the one in flight included) may arrive twice.
    assert len(received) - len(set(received)) <= MARK_SENT_EVERY


def test_a_batch_comes_back_when_its_pool_process_is_killed(
    start_worker: Callable[[], Worker], smtp: SmtpServer
) -> None:
    """acks_late + reject_on_worker_lost: the broker hands the batch out again by itself.

    The batch claimed all its rows at once, so those not yet marked sent stay ``sending``
    until they are older than OUTBOX_STUCK_AFTER (nobody can tell which went out); then a
    claim or the sweeper takes them again.
    """
    smtp.handler.delay_per_message = 0.4
    worker = start_worker()
    emails = _enqueue_batch(6)
    assert wait_for(lambda: len(smtp.handler.received) >= 2), worker.output()

    os.kill(worker.pool_child(), signal.SIGKILL)

    assert wait_for(lambda: "WorkerLostError" in worker.output()), worker.output()
    sending = OutboxEmail.objects.filter(pk__in=[e.pk for e in emails], status="sending")
    assert sending.exists()
    time.sleep(STUCK_AFTER)
    requeue_stuck_outbox_emails.delay()
    _assert_everything_delivered(emails, smtp, worker.output())


def test_a_batch_survives_the_whole_worker_being_killed(
    start_worker: Callable[[], Worker], smtp: SmtpServer
) -> None:
    """The broker keeps the unacknowledged batch; the sweeper hands its rows to a new worker."""
    smtp.handler.delay_per_message = 0.4
    first = start_worker()
    emails = _enqueue_batch(6)
    assert wait_for(lambda: len(smtp.handler.received) >= 2), first.output()

    first.kill_everything()
    unsent = OutboxEmail.objects.filter(pk__in=[e.pk for e in emails]).exclude(status="sent")
    assert unsent.exists()

    second = start_worker()
    time.sleep(STUCK_AFTER + 0.5)
    requeue_stuck_outbox_emails.delay()
    _assert_everything_delivered(emails, smtp, second.output())
