"""Attendee export benchmark: 100,000 registrations, CSV and XLSX, against PostgreSQL's COPY.

    make bench-export                      # or: python bench/export.py [--rows N] [--reseed]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/convene_bench_export), creating
and migrating the database if needed; registrations are inserted once with COPY and reused.

Measured in one run, so every ratio is against a baseline taken on the same machine, moment
and data:
- copy:  PostgreSQL's own ``COPY (SELECT … the export's columns …) TO STDOUT WITH CSV`` read
         through psycopg: the floor for producing this CSV at all.
- csv:   the real view (``workspace.views.exports.export``) called with a RequestFactory
         request as a signed-in member, its StreamingHttpResponse iterated to the end.
- memory: the CSV stream repeated in a fresh child process, twice: once for the growth of the
         resident set's high-water mark (VmHWM, reset through /proc/self/clear_refs) over the
         warmed-up baseline, which counts everything including libpq's C buffers; once for
         tracemalloc's peak, which counts Python allocations only (exactly, but not libpq's
         buffers; the RSS figure counts those but can hide growth in memory the warm-up run
         freed). ``csv_peak_mb`` is the larger of the two; both are printed.
- check: the CSV parsed back equals COPY's output parsed back, row for row, once the formula
         guard's leading quote is taken off: the two really produce the same columns.
- xlsx:  the background job service (``export_job_run``) building the XLSX file.
Timings are the best of ``--repeat`` runs (default 5; XLSX one fewer) to shave scheduler
noise off a shared two-core machine.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/convene_bench_export"
EVENT_SLUG = "bench-export"
MEMBER_EMAIL = "bench-organizer@example.org"
NAMES = [
    "Ana Lima",
    "مریم رضایی",
    "王小明",
    "Zoë O'Brien",
    "Владимир Петров",
    "Aisha Bello 🎉",
    "José García",
    "=Mallory",
]
ZONES = ["Asia/Tehran", "America/Los_Angeles", "Europe/Berlin", "Asia/Shanghai", "UTC"]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seed(rows: int, reseed: bool) -> int:
    """The bench event with ``rows`` registrations; returns its id."""
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from events.models import Event, Membership, Organization, Question
    from registrations.models import Registration

    call_command("migrate", verbosity=0)
    event = Event.objects.filter(slug=EVENT_SLUG).first()
    if event is not None and not reseed and event.registrations.count() == rows:
        return event.pk
    if event is not None:
        # One statement: the ORM's delete collects 100,000 ids into one query, past
        # PostgreSQL's 65,535 parameters. The bench event's registrations have nothing
        # pointing at them (no emails, reminders or invites are made here).
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Registration._meta.db_table} WHERE event_id = %s",  # noqa: S608
                [event.pk],
            )
        event.questions.all().delete()
    organization, _ = Organization.objects.get_or_create(
        slug="bench-org", defaults={"name": "Bench Org"}
    )
    user = User.objects.filter(email=MEMBER_EMAIL).first() or User.objects.create_user(
        email=MEMBER_EMAIL, password="bench password 123"
    )
    Membership.objects.get_or_create(organization=organization, user=user)
    starts_at = datetime.now(UTC) + timedelta(days=30)
    event, _ = Event.objects.update_or_create(
        slug=EVENT_SLUG,
        defaults={
            "organization": organization,
            "title": "Bench export event",
            "kind": Event.Kind.IN_PERSON,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "time_zone": "Asia/Tehran",
            "status": Event.Status.PUBLISHED,
        },
    )
    questions = [
        Question.objects.create(event=event, label="Dietary needs?", kind="short_text"),
        Question.objects.create(event=event, label="Newsletter?", kind="checkbox"),
        Question.objects.create(
            event=event, label="Track", kind="single_choice", choices="Beginners\nAdvanced"
        ),
    ]
    diet, newsletter, track = (str(question.pk) for question in questions)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    columns = (
        "event_id, public_id, name, email, email_normalized, time_zone, language, answers, "
        "status, created_at, confirmed_at, cancelled_at, checked_in_at, rejection_reason, source"
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY registrations_registration ({columns}) FROM STDIN") as copy:
            for number in range(rows):
                created_at = start + timedelta(seconds=number * 7, microseconds=number % 997)
                status = (
                    "waitlisted"
                    if number % 10 == 0
                    else "cancelled"
                    if number % 25 == 1
                    else "pending"
                    if number % 33 == 2
                    else "confirmed"
                )
                email = f"person{number}@example.org"
                answers = {
                    diet: ["", "vegan", "no nuts, please", "halal"][number % 4],
                    newsletter: number % 3 == 0,
                    track: ["Beginners", "Advanced"][number % 2],
                }
                copy.write_row(
                    (
                        event.pk,
                        uuid.uuid4(),
                        f"{NAMES[number % len(NAMES)]} {number}",
                        email,
                        email,
                        ZONES[number % len(ZONES)],
                        "fa" if number % 2 else "en",
                        json.dumps(answers),
                        status,
                        created_at,
                        created_at if status == "confirmed" else None,
                        created_at if status == "cancelled" else None,
                        created_at + timedelta(days=40) if number % 3 == 0 else None,
                        "",
                        "online",
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registrations_registration")
    return event.pk


def copy_baseline_sql(event_id: int) -> str:
    """The export's columns, computed by PostgreSQL alone (same order, filters, positions)."""
    from events.models import Question

    answer_columns = []
    for question in Question.objects.filter(event_id=event_id).order_by("position", "id"):
        value = f"r.answers ->> '{question.pk}'"
        if question.kind == "checkbox":
            value = f"CASE WHEN ({value})::boolean THEN 'yes' ELSE 'no' END"
        answer_columns.append(value)
    iso = """to_char(r.{0} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""
    # Ids and question keys come from our own rows, never from input.
    return f"""
        COPY (
          SELECT r.name, r.email, r.status, {iso.format("created_at")}, r.time_zone, r.language,
                 {", ".join(answer_columns)}, {iso.format("checked_in_at")}, w.position
          FROM registrations_registration r
          LEFT JOIN (
            SELECT id, row_number() OVER (ORDER BY created_at, id) AS position
            FROM registrations_registration
            WHERE event_id = {event_id} AND status = 'waitlisted'
          ) w ON w.id = r.id
          WHERE r.event_id = {event_id}
          ORDER BY r.created_at, r.id
        ) TO STDOUT WITH (FORMAT csv, HEADER)
    """  # noqa: S608


def time_copy(event_id: int) -> tuple[float, int]:
    from django.db import connection

    statement = copy_baseline_sql(event_id)
    started = time.perf_counter()
    size = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for block in copy:
            size += len(block)
    return time.perf_counter() - started, size


def stream_csv_through_view(event_id: int) -> int:
    """Call the real view as a signed-in member and read the streamed body to the end."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    from accounts.models import User
    from workspace.views.exports import export

    request = RequestFactory().get(f"/manage/events/{event_id}/export/csv/")
    request.user = User.objects.get(email=MEMBER_EMAIL)
    SessionMiddleware(lambda request: None).process_request(request)  # type: ignore[arg-type, return-value]
    response = export(request, event_id=event_id, format_name="csv")
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        size += len(chunk)
    response.close()
    return size


def time_csv(event_id: int) -> tuple[float, int, float]:
    started, cpu_started = time.perf_counter(), time.process_time()
    size = stream_csv_through_view(event_id)
    return time.perf_counter() - started, size, time.process_time() - cpu_started


def time_xlsx(event_id: int) -> tuple[float, int, float]:
    """Wall seconds, file size, and this process's CPU seconds (which other load on the
    machine does not inflate)."""
    from accounts.models import User
    from workspace.models import ExportJob
    from workspace.services.export_files import export_job_run

    job = ExportJob.objects.create(
        event_id=event_id, created_by=User.objects.get(email=MEMBER_EMAIL), format="xlsx"
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    job = export_job_run(job_id=job.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert job.status == ExportJob.Status.DONE, job.status
    size = job.file.size
    job.file.delete(save=False)
    job.delete()
    return elapsed, size, cpu


def csv_matches_copy(event_id: int) -> bool:
    import csv

    from django.db import connection

    from registrations.exports.base import FORMULA_TRIGGERS

    ours = io.StringIO()
    for chunk in _csv_chunks(event_id):
        ours.write(chunk.decode())
    theirs = io.BytesIO()
    with connection.cursor() as cursor, cursor.cursor.copy(copy_baseline_sql(event_id)) as copy:
        for block in copy:
            theirs.write(block)
    our_rows = csv.reader(io.StringIO(ours.getvalue(), newline=""))
    their_rows = csv.reader(io.StringIO(theirs.getvalue().decode(), newline=""))
    next(our_rows), next(their_rows)  # headers: ours are translated labels
    for our_row, their_row in zip(our_rows, their_rows, strict=True):
        unguarded = [
            cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell
            for cell in our_row
        ]
        if unguarded != their_row:
            print(f"MISMATCH: {our_row} != {their_row}")
            return False
    return True


def _csv_chunks(event_id: int) -> Iterator[bytes]:
    from events.models import Event
    from registrations.exports import exporter_for
    from registrations.exports.rows import ExportFilters, export_table

    table = export_table(event=Event.objects.get(pk=event_id), filters=ExportFilters())
    return exporter_for("csv").stream(table)


def _vm_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def measure_memory_child(event_id: int, method: str) -> None:
    """Runs in a fresh process: prints the CSV stream's extra peak memory in MiB."""
    stream_csv_through_view(event_id)  # warm up: imports, connection, caches
    if method == "rss":
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        baseline = _vm_kib("VmRSS")
        stream_csv_through_view(event_id)
        print(f"{(_vm_kib('VmHWM') - baseline) / 1024:.1f}")
    else:
        import tracemalloc

        tracemalloc.start()
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        stream_csv_through_view(event_id)
        print(f"{(tracemalloc.get_traced_memory()[1] - baseline) / 1024 / 1024:.1f}")


def memory_in_child(database_url: str, event_id: int, method: str) -> float:
    output = subprocess.run(
        [sys.executable, __file__, "--memory-child", method, "--event-id", str(event_id)],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed", action="store_true", help="insert the rows again")
    parser.add_argument("--memory-child", choices=["rss", "tracemalloc"], help=argparse.SUPPRESS)
    parser.add_argument("--event-id", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith("postgres"):
        sys.exit("bench/export.py needs PostgreSQL: set DATABASE_URL=postgres://…")

    if args.memory_child:
        setup_django(database_url)
        measure_memory_child(args.event_id, args.memory_child)
        return

    ensure_database(database_url)
    setup_django(database_url)
    started = time.perf_counter()
    event_id = seed(args.rows, args.reseed)
    print(f"data ready: {args.rows} registrations ({time.perf_counter() - started:.1f} s)")

    copy_runs, csv_runs, xlsx_runs = [], [], []
    # Interleaved, so a burst of load elsewhere hits both sides alike.
    for _ in range(args.repeat):
        copy_runs.append(time_copy(event_id))
        csv_runs.append(time_csv(event_id))
    for _ in range(max(1, args.repeat - 1)):
        xlsx_runs.append(time_xlsx(event_id))
    copy_seconds, copy_bytes = min(copy_runs)
    csv_seconds, csv_bytes, csv_cpu = min(csv_runs)
    xlsx_seconds, xlsx_bytes, xlsx_cpu = min(xlsx_runs)
    rss_mb = memory_in_child(database_url, event_id, "rss")
    traced_mb = memory_in_child(database_url, event_id, "tracemalloc")
    peak_mb = max(rss_mb, traced_mb)
    same = csv_matches_copy(event_id)

    print(f"copy baseline: {copy_seconds:.3f} s, {copy_bytes / 1e6:.1f} MB of CSV")
    print(
        f"csv via view:  {csv_seconds:.3f} s ({csv_cpu:.3f} s CPU), {csv_bytes / 1e6:.1f} MB of CSV"
    )
    print(f"csv memory:    {rss_mb:.1f} MiB RSS high-water growth, {traced_mb:.1f} MiB traced")
    print(f"xlsx job:      {xlsx_seconds:.3f} s ({xlsx_cpu:.3f} s CPU), {xlsx_bytes / 1e6:.1f} MB")
    print(f"check:         CSV rows {'identical to' if same else 'DIFFERENT FROM'} COPY's rows")
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average:  {load} on {os.cpu_count()} CPUs")
    print(
        f"RESULT rows={args.rows} csv_seconds={csv_seconds:.3f} csv_peak_mb={peak_mb:.1f} "
        f"csv_vs_copy={csv_seconds / copy_seconds:.2f} xlsx_seconds={xlsx_seconds:.3f}"
    )


if __name__ == "__main__":
    main()
