"""Reminder delivery on the real stack: N reminders fall due at once; how soon are all sent?

    make bench-reminders [BENCH_ARGS="--reminders 10000"]

What runs (all on loopback, started and stopped by this script):

* PostgreSQL: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/convene_bench_reminders,
  dropped, created and migrated on every run. N confirmed registrations (every third reads
  Persian by default, ``--persian-every``, so the Persian mail merge is in the measure) are
  COPYed in, one
  event starting an hour after the due time, one rule "60 minutes before"; the reminder rows
  are created by the real scheduling code (the set-wise path an event move takes).
* Redis: REDIS_URL (default redis://127.0.0.1:6379/0) as the Celery broker; only the Celery
  queue keys are cleared, nothing else in that database.
* Celery: ``--workers`` worker processes (prefork, ``--concurrency`` each) consuming the
  ``default`` and ``mail`` queues, plus Celery beat with the project's own schedule — the
  dispatcher runs at second 0 of every minute, so the due time is put on a minute boundary.
  ``--dispatch direct`` queues the dispatch task at the due time instead of waiting for beat.
* The outbox relay (``manage.py outbox_relay``), which hands the dispatcher's outbox rows to
  the workers, as in production.
* SMTP: bench/smtp_sink.py (aiosmtpd) counting Message-IDs and recipients, to detect lost
  and duplicated mail.

Measured from the due time: when the sink accepted the first and the last reminder
(lateness), and emails/s = N / (last accepted - due time). Then, in the same run and against
the same sink, the baseline: plain smtplib resending the very same messages over one
connection. The last line is machine-readable:

    RESULT reminders=… seconds=… emails_per_s=… baseline_ratio=… lost=… duplicates=…

``duplicates`` counts accepted messages beyond one per registrant (a resent row or a doubled
outbox row both show); ``lost`` counts registrants the sink never saw.
"""

import argparse
import io
import json
import os
import pickle
import platform
import resource
import secrets
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/convene_bench_reminders"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SITE_URL = "https://convene.example.org"
ZONES = ["Asia/Tehran", "America/Los_Angeles", "Europe/Berlin", "Asia/Kathmandu", "UTC"]
CELERY_KEYS = ("default", "mail", "unacked", "unacked_index", "unacked_mutex")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=100_000, help="reminders due at once")
    parser.add_argument(
        "--persian-every", type=int, default=3, help="every Nth registrant reads Persian (0: none)"
    )
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="pool size per worker")
    parser.add_argument("--dispatch", choices=["beat", "direct"], default="beat")
    parser.add_argument("--smtp-port", type=int, default=0, help="sink port (0: any free one)")
    parser.add_argument("--timeout", type=float, default=900, help="give up after (seconds)")
    parser.add_argument(
        "--stall", type=float, default=120, help="give up when nothing arrives for (seconds)"
    )
    parser.add_argument("--keep-logs", action="store_true", help="print where the logs are")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def configure_environment(args: argparse.Namespace, smtp_port: int) -> dict[str, str]:
    """Settings for this process and the workers: production settings, local services."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
        "SECRET_KEY": secrets.token_urlsafe(50),  # a throwaway key for this run
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": SITE_URL,
        "DEFAULT_FROM_EMAIL": "Convene <reminders@convene.example.org>",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return {**os.environ, **env}


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def clear_celery_queues(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).delete(*CELERY_KEYS)


class Sink:
    """The SMTP sink subprocess and its line protocol (see bench/smtp_sink.py)."""

    def __init__(self, port: int, log: io.TextIOWrapper) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP sink did not start; see its log")

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def stop(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@contextmanager
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Started children, stopped (by pid) however the run ends."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def create_fixtures(count: int, persian_every: int) -> tuple[int, float]:
    """One event, one "60 minutes before" rule, ``count`` confirmed registrations.

    Returns the event id and the seconds the real scheduling code took for the reminders.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from events.models import Event, Organization
    from notifications.models import ReminderRule, ScheduledReminder
    from notifications.reminders.schedule import schedule_sync
    from registrations.models import Registration

    organization = Organization.objects.create(name="Bench", slug="bench")
    starts_at = timezone.now() + timedelta(days=2)
    # Saved directly, not through event_save: no facts, so no default rules and no emails.
    event = Event.objects.create(
        organization=organization,
        title="Reminder bench webinar",
        slug="reminder-bench",
        kind=Event.Kind.WEBINAR,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        time_zone="America/Los_Angeles",
        join_url="https://meet.example.org/bench",
        joining_instructions="Passcode 1234",
        status=Event.Status.PUBLISHED,
        seats_taken=count,
    )
    ReminderRule.objects.create(event=event, kind="before_start", minutes_before=60)
    now = timezone.now()
    # Every column the model has, each from a Registration built in Python, so fields added
    # to the model later get their defaults here too.
    fields = [field for field in Registration._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(Registration._meta.db_table)
    registration = Registration(
        event=event,
        status=Registration.Status.CONFIRMED,
        created_at=now,
        updated_at=now,
        confirmed_at=now,
    )
    connection.ensure_connection()
    raw = connection.connection  # psycopg's own connection, for COPY
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for number in range(count):
            registration.public_id = uuid.uuid4()
            registration.name = f"Registrant {number}"
            registration.email = registration.email_normalized = f"r{number}@bench.example.org"
            registration.time_zone = ZONES[number % len(ZONES)]
            registration.language = "fa" if persian_every and number % persian_every == 0 else "en"
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(registration, field.attname), connection)
                    for field in fields
                ]
            )
    started = time.perf_counter()
    with transaction.atomic():
        schedule_sync(event=event, now=timezone.now())
    scheduled = time.perf_counter() - started
    assert ScheduledReminder.objects.filter(status="pending").count() == count
    return event.pk, scheduled


def move_event_so_reminders_fall_due_at(event_id: int, due_at: datetime) -> float:
    """Move the event (starts an hour after ``due_at``) and reschedule set-wise; seconds taken.

    The rows are rescheduled by the same code an event move runs, without publishing the
    move (that would also queue an "event updated" email to everyone).
    """
    from django.db import transaction

    from events.models import Event
    from notifications.reminders.schedule import schedule_sync

    started = time.perf_counter()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        event.starts_at = due_at + timedelta(hours=1)
        event.ends_at = event.starts_at + timedelta(hours=1)
        event.save(update_fields=["starts_at", "ends_at"])
        schedule_sync(event=event, now=datetime.now(UTC), rearm_sent=True)
    return time.perf_counter() - started


def start_celery(
    started: list[subprocess.Popen[bytes]],
    args: argparse.Namespace,
    env: dict[str, str],
    log_dir: Path,
) -> list[Path]:
    logs = []
    for number in range(args.workers):
        log = log_dir / f"worker{number}.log"
        logs.append(log)
        # Workers log through Django's LOGGING to stderr (config/celery.py), not to a
        # --logfile; INFO, so that their " ready." line shows.
        started.append(
            subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "config", "worker",
                    "--queues", "default,mail", "--pool", "prefork",
                    "--concurrency", str(args.concurrency),
                    "--hostname", f"bench{number}@%h", "--loglevel", "INFO",
                    "--without-gossip", "--without-mingle",
                ],
                cwd=ROOT, env={**env, "LOG_LEVEL": "INFO"}, stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
    # The dispatcher's outbox rows reach the workers through the relay (its CPU counts).
    relay_log = (log_dir / "relay.log").open("wb")
    started.append(
        subprocess.Popen(
            [sys.executable, "manage.py", "outbox_relay"],
            cwd=ROOT, env=env, stdout=relay_log, stderr=subprocess.STDOUT,
        )
    )  # fmt: skip
    if args.dispatch == "beat":
        log = log_dir / "beat.log"
        started.append(
            subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "config", "beat",
                    "--schedule", str(log_dir / "beat-schedule"), "--loglevel", "INFO",
                ],
                cwd=ROOT, env={**env, "LOG_LEVEL": "INFO"}, stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
    return logs


def wait_until_ready(logs: list[Path], started: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if all(log.exists() and " ready." in log.read_text() for log in logs):
            return
        if any(process.poll() is not None for process in started):
            raise RuntimeError("a Celery process stopped while starting; see its log")
        time.sleep(0.5)
    raise RuntimeError("Celery workers were not ready within two minutes")


def next_due_time(dispatch: str, lead: float) -> datetime:
    """At least ``lead`` seconds ahead; for beat (second 0 of every minute) a minute boundary."""
    earliest = datetime.now(UTC) + timedelta(seconds=lead)
    if dispatch == "direct":
        return earliest
    boundary = earliest.replace(second=0, microsecond=0)
    return boundary if boundary >= earliest else boundary + timedelta(minutes=1)


def children_cpu_seconds() -> float:
    """CPU time of the child processes waited for so far (workers, beat, with their pools)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def watch_sink(sink: Sink, count: int, args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    last_progress, last_accepted = started, -1
    while True:
        stats = sink.ask("stats")
        now = time.monotonic()
        if stats["accepted"] != last_accepted:
            last_progress, last_accepted = now, stats["accepted"]
        if stats["unique_recipients"] >= count:
            time.sleep(2)  # let a straggling duplicate show up
            return sink.ask("stats")
        if now - started > args.timeout or now - last_progress > args.stall:
            return stats
        time.sleep(0.5)


def outbox_statuses() -> dict[str, int]:
    from django.db.models import Count

    from notifications.models import OutboxEmail

    return dict(
        OutboxEmail.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )


def baseline(sink: Sink, smtp_port: int, dump: Path) -> tuple[float, int, float]:
    """Resend exactly the accepted messages with smtplib over one connection.

    Returns (seconds, messages the sink accepted, CPU seconds of client and sink).
    """
    sink.ask(f"dump {dump}")
    with open(dump, "rb") as file:
        messages: list[tuple[str, list[str], bytes]] = pickle.load(file)  # noqa: S301 - our own file
    sink.ask("reset")
    sink_cpu = float(sink.ask("stats")["cpu_seconds"])
    started, client_cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP("127.0.0.1", smtp_port) as client:
        for mail_from, recipients, content in messages:
            client.sendmail(mail_from, recipients, content)
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu
    stats = sink.ask("stats")
    return seconds, int(stats["accepted"]), client_cpu + stats["cpu_seconds"] - sink_cpu


def main() -> None:
    args = parse_args()
    smtp_port = args.smtp_port or free_port()
    env = configure_environment(args, smtp_port)
    sys.path.insert(0, str(ROOT))
    count = args.reminders
    load_before = os.getloadavg()
    print(
        f"reminders bench: {count} reminders, {args.workers} workers x {args.concurrency}, "
        f"dispatch by {args.dispatch}"
    )
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load_before[0]:.2f} at start"
    )

    recreate_database(env["DATABASE_URL"])
    clear_celery_queues(env["REDIS_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    log_dir = Path(tempfile.mkdtemp(prefix="convene-bench-reminders-"))
    sink_log = open(log_dir / "sink.log", "w")  # noqa: SIM115 - closed at the end
    sink = Sink(smtp_port, sink_log)
    try:
        with processes() as started:
            event_id, scheduled_seconds = create_fixtures(count, args.persian_every)
            print(
                f"fixtures: {count} registrations; scheduling their reminders took "
                f"{scheduled_seconds:.2f} s"
            )
            workers_cpu = children_cpu_seconds()
            logs = start_celery(started, args, env, log_dir)
            wait_until_ready(logs, started)
            # The move must commit before the due time, or the first pass finds nothing due.
            due_at = next_due_time(args.dispatch, lead=10 + 2 * scheduled_seconds)
            moved_seconds = move_event_so_reminders_fall_due_at(event_id, due_at)
            print(
                f"rescheduled {count} reminders to {due_at:%H:%M:%S} UTC (an event move) "
                f"in {moved_seconds:.2f} s"
            )
            if datetime.now(UTC) >= due_at:
                print("WARNING: the move committed after the due time; lateness includes it")
            sink_cpu = float(sink.ask("stats")["cpu_seconds"])
            if args.dispatch == "direct":
                from notifications.reminders.tasks import dispatch_due_reminders

                time.sleep(max(0.0, (due_at - datetime.now(UTC)).total_seconds()))
                dispatch_due_reminders.delay()
            else:
                time.sleep(max(0.0, (due_at - datetime.now(UTC)).total_seconds()))
            stats = watch_sink(sink, count, args)
            recipients = set(sink.ask("recipients")["recipients"])
            statuses = outbox_statuses()
        # Workers and beat are stopped and waited for now: their CPU time is ours to read.
        workers_cpu = children_cpu_seconds() - workers_cpu
        sink_cpu = stats["cpu_seconds"] - sink_cpu
        due = due_at.timestamp()
        seconds = (stats["last"] - due) if stats["last"] else float("nan")
        first_late = (stats["first"] - due) if stats["first"] else float("nan")
        emails_per_s = stats["unique_recipients"] / seconds if stats["last"] else 0.0
        expected = {f"r{number}@bench.example.org" for number in range(count)}
        lost = len(expected - recipients)
        duplicates = stats["accepted"] - stats["unique_recipients"]
        print(
            f"sink accepted {stats['accepted']} messages, {stats['unique_message_ids']} "
            f"distinct Message-IDs, {stats['unique_recipients']} distinct recipients"
        )
        print(f"outbox rows by status: {statuses}")
        print(f"lateness: first accepted {first_late:.2f} s after due, last {seconds:.2f} s")
        print(f"reminders: {emails_per_s:.1f} emails/s ({count} in {seconds:.2f} s from due)")

        baseline_seconds, baseline_accepted, baseline_cpu = baseline(
            sink, smtp_port, log_dir / "messages.pkl"
        )
        baseline_per_s = baseline_accepted / baseline_seconds if baseline_seconds else 0.0
        ratio = emails_per_s / baseline_per_s if baseline_per_s else 0.0
        print(
            f"baseline: smtplib resent {baseline_accepted} messages over one connection in "
            f"{baseline_seconds:.2f} s = {baseline_per_s:.1f} emails/s"
        )
        per_email = 1000 / max(stats["accepted"], 1)
        print(
            f"CPU per email (PostgreSQL not counted): reminders "
            f"{(workers_cpu + sink_cpu) * per_email:.2f} ms (Celery "
            f"{workers_cpu * per_email:.2f} incl. start-up, sink {sink_cpu * per_email:.2f}); "
            f"baseline {baseline_cpu * 1000 / max(baseline_accepted, 1):.2f} ms"
        )
        load_after = os.getloadavg()
        print(f"load average {load_after[0]:.2f} at end; logs in {log_dir}")
    finally:
        sink.stop()
        sink_log.close()
        (log_dir / "messages.pkl").unlink(missing_ok=True)
    print(
        f"RESULT reminders={count} seconds={seconds:.2f} emails_per_s={emails_per_s:.1f} "
        f"baseline_ratio={ratio:.2f} lost={lost} duplicates={duplicates}"
    )


if __name__ == "__main__":
    main()
