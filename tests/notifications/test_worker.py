"""The whole path: PostgreSQL, a real Redis broker, a real Celery worker, a real SMTP server.

Each test starts ``celery -A config worker`` and the outbox relay (``manage.py
outbox_relay``) as subprocesses against the test database and this helper's Redis db (or a
private ``redis-server`` the test can stop), with EMAIL_HOST/PORT pointing at an aiosmtpd
server on loopback, and short retry delays so the suite stays fast.
"""

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import vobject
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

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
WORKER_COMMAND = [
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
    "--loglevel",
    "INFO",
]
RELAY_COMMAND = [sys.executable, "manage.py", "outbox_relay"]


class Worker:
    """One ``celery worker`` process (prefork, one child), or the relay, and its log."""

    def __init__(
        self, env: dict[str, str], log_path: Path, command: list[str] | None = None
    ) -> None:
        self.log_path = log_path
        self.log = log_path.open("wb")
        if command is None:
            command = [*WORKER_COMMAND, "--hostname", f"h3-test-{uuid.uuid4().hex[:8]}@%h"]
        ready = b"Outbox relay ready." if command == RELAY_COMMAND else b" ready."
        self.process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if not wait_for(lambda: ready in log_path.read_bytes(), timeout=60):
            self.stop()
            raise AssertionError(f"{command[-1]} did not start:\n{self.output()}")

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


def _free_redis_port() -> int:
    for port in range(6390, 6490):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 6390-6489 for a private redis-server")


class PrivateRedis:
    """A ``redis-server`` of the test's own on a free port, to stop and start again.

    The shared Redis serves other test runs; this one can go away without hurting them.
    """

    def __init__(self, tmp_path: Path) -> None:
        self.port = _free_redis_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = tmp_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url)
        assert wait_for(lambda: self._answers(client), timeout=10), "redis-server did not start"

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server on PATH (apt-get install redis-server)")
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


Starter = Callable[..., Worker]


@pytest.fixture
def start_worker(transactional_db: None, smtp: SmtpServer, tmp_path: Path) -> Iterator[Starter]:
    """Start workers (``start_worker()``) or the relay (``start_worker(relay=True)``).

    The first worker started brings a relay along unless ``with_relay=False``; every
    process is stopped before the database is flushed. ``redis_url`` points a process at
    another broker (a private Redis).
    """
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
        "CELERY_WORKER_LOST_WAIT": "1",
        "OUTBOX_RELAY_HEARTBEAT": str(tmp_path / "relay-heartbeat"),
    }
    processes: list[Worker] = []
    # This process only writes rows; the relay subprocess publishes them.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False

    def start(*, relay: bool = False, with_relay: bool = True, redis_url: str = "") -> Worker:
        process_env = {**env, "REDIS_URL": redis_url or settings.REDIS_URL}
        if with_relay and not relay and not processes:
            start(relay=True, redis_url=redis_url)
        name = f"{'relay' if relay else 'worker'}-{len(processes)}.log"
        process = Worker(process_env, tmp_path / name, RELAY_COMMAND if relay else None)
        processes.append(process)
        return process

    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = eager
        for process in processes:
            process.stop()


def row(pk: int) -> OutboxEmail:
    return OutboxEmail.objects.get(pk=pk)


def test_a_registration_confirmation_arrives_with_a_valid_invite(
    start_worker: Starter, smtp: SmtpServer, client: Client
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
    start_worker: Starter, smtp: SmtpServer
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
    start_worker: Starter, smtp: SmtpServer
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
    # At least once: only the email in flight when the worker died may arrive twice (each
    # is marked sent as soon as the server accepted it).
    assert len(received) - len(set(received)) <= 1


def test_a_batch_comes_back_when_its_pool_process_is_killed(
    start_worker: Starter, smtp: SmtpServer
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
    start_worker: Starter, smtp: SmtpServer
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


OUTAGE_SECONDS = 10.0


def test_with_redis_down_people_still_register_and_sign_in_and_mail_follows_its_return(
    start_worker: Starter,
    private_redis: PrivateRedis,
    smtp: SmtpServer,
    client: Client,
    settings: Any,
) -> None:
    """The request path never talks to the broker; the relay and the worker catch up.

    Redis is both the broker and the cache (rate limits) here, as in production.
    """
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": private_redis.url},
    }
    worker = start_worker(redis_url=private_redis.url)
    event = EventFactory(slug="launch", title="Launch day")
    for n in range(3):
        Registration.objects.create(
            event=EventFactory(),
            name=f"Earlier {n}",
            email=f"earlier{n}@example.org",
            email_normalized=f"earlier{n}@example.org",
            time_zone="Europe/Berlin",
        )

    private_redis.stop()
    went_down = time.monotonic()
    answers = []
    for n in range(5):
        started = time.monotonic()
        response = client.post(
            "/events/launch/register/",
            {"name": f"P{n}", "email": f"p{n}@example.org", "time_zone": "UTC", "language": "en"},
        )
        answers.append((response.status_code, time.monotonic() - started))
    for n in range(3):
        started = time.monotonic()
        response = Client().post(
            reverse("account_request_login_code"), {"email": f"earlier{n}@example.org"}
        )
        answers.append((response.status_code, time.monotonic() - started))

    assert [status for status, _ in answers] == [302] * 8, answers
    assert max(seconds for _, seconds in answers) < 2.0, answers
    emails = OutboxEmail.objects.filter(
        recipient__in=[f"p{n}@example.org" for n in range(5)]
        + [f"earlier{n}@example.org" for n in range(3)]
    )
    assert emails.count() == 8
    assert smtp.handler.received == []
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - went_down)))

    private_redis.start()
    back = time.time()

    ids = {email.message_id for email in emails}
    assert wait_for(lambda: ids <= set(smtp.handler.received_ids()), timeout=30), worker.output()
    last_accepted = max(attempt.at for attempt in smtp.handler.attempts)
    assert last_accepted - back <= 5.0, (last_accepted - back, worker.output())
    assert event.registrations.count() == 5


def test_a_worker_killed_mid_batch_sends_at_most_the_email_in_flight_twice(
    start_worker: Starter, smtp: SmtpServer
) -> None:
    """kill -9 of the pool process during a batch to a slow server; the sweeper sends the rest.

    Each row is marked sent as soon as the server accepted it, so of everything sent before
    the kill only the message in flight may go out again.
    """
    smtp.handler.delay_per_message = 0.2
    worker = start_worker()
    emails = _enqueue_batch(20)
    assert wait_for(lambda: len(smtp.handler.received) >= 8, timeout=30), worker.output()

    os.kill(worker.pool_child(), signal.SIGKILL)

    assert wait_for(lambda: "WorkerLostError" in worker.output()), worker.output()
    time.sleep(STUCK_AFTER)
    requeue_stuck_outbox_emails.delay()
    _assert_everything_delivered(emails, smtp, worker.output())
    received = smtp.handler.received_ids()
    assert len(received) - len(set(received)) <= 1
