"""Registration throughput on the real stack: gunicorn + PostgreSQL, one event, many clients.

    make bench-registration [BENCH_ARGS="--capacity 1000 --registrations 2000"]

Starts gunicorn on loopback with production settings (bench/settings.py: DEBUG off, CSRF on,
plus a baseline URL that exists only there), creates one published event, and fires more
registrations than it has seats from concurrent async clients, each holding a CSRF token and
cookie fetched from the event page, as a browser would. In the same run and on the same stack
it measures a baseline view that does one bare INSERT, alternating the two in rounds so that
other load on the machine hits both alike. Afterwards it counts confirmed registrations in the
database.

The mail path runs too, as in production: the outbox relay (``manage.py outbox_relay``) and
one Celery worker send every registration's email to a loopback SMTP sink
(bench/smtp_sink.py), and the script measures how long after each registration's answer the
sink accepted its email. Their CPU and their database backends are not counted as the
server's. The last line is machine-readable:

    RESULT registrations_per_s=… p95_ms=… baseline_ratio=… overbooked=… cpu_ratio=… mail_p95_s=…

``cpu_ratio`` is the baseline's server CPU per request over a registration's.

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/convene_bench (created and migrated
if missing); REDIS_URL, if set, is used for the cache (rate-limit counters) and the broker, as
in production.
"""

import argparse
import asyncio
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.loadgen import Connection, form_post, send_all
from bench.reminders import Sink
from bench.server_cpu import MAIL_PATH_APPLICATION, Phase, ServerCpu

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/convene_bench"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--capacity", type=int, default=1000, help="seats of the event")
    parser.add_argument(
        "--registrations", type=int, default=2000, help="registrations sent (> capacity)"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=10, help="baseline/registration rounds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=0, help="loopback port (0: any free one)")
    parser.add_argument("--smtp-port", type=int, default=0, help="sink port (0: any free one)")
    parser.add_argument(
        "--mail-timeout", type=float, default=120, help="wait this long for the last email"
    )
    parser.add_argument(
        "--mail-concurrency", type=int, default=1, help="prefork processes of the mail worker"
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist yet."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url.replace("postgres://", "postgresql://", 1))
    name = str(params.pop("dbname"))
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "REGISTRATION_RATE_LIMIT": "1000000/m",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "LOG_LEVEL": "WARNING",
    }


def prepare_event(capacity: int, run_id: str) -> tuple[int, str]:
    """Migrate, create the baseline table and a fresh published event; (event id, slug)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.views import BASELINE_TABLE_SQL
    from events.models import Event, Organization
    from events.services import event_save

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_TABLE_SQL)
        cursor.execute("TRUNCATE bench_baseline")
    organization, _ = Organization.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmark"}
    )
    starts_at = timezone.now() + timedelta(days=7)
    event = event_save(
        event=Event(
            organization=organization,
            title=f"Benchmark {run_id}",
            slug=f"bench-{run_id}",
            kind=Event.Kind.WEBINAR,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            time_zone="Europe/Berlin",
            join_url="https://meet.example.org/bench",
            capacity=capacity,
            status=Event.Status.PUBLISHED,
        )
    )
    connection.close()
    return event.pk, event.slug


def count_outcome(event_id: int) -> dict[str, int]:
    from django.db import connection

    from events.models import Event
    from notifications.models import OutboxEmail
    from registrations.models import Registration

    event = Event.objects.get(pk=event_id)
    rows = Registration.objects.filter(event_id=event_id)
    counts = {
        "capacity": event.capacity or 0,
        "seats_taken": event.seats_taken,
        "confirmed": rows.filter(status=Registration.Status.CONFIRMED).count(),
        "waitlisted": rows.filter(status=Registration.Status.WAITLISTED).count(),
        "rows": rows.count(),
        "emails": OutboxEmail.objects.filter(registration__event_id=event_id).count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_baseline")
        counts["baseline_rows"] = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        counts["postgres"] = cursor.fetchone()[0]
    return counts


def start_server(args: argparse.Namespace, port: int, env: dict[str, str]) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


async def wait_until_serving(base_url: str, path: str, server: subprocess.Popen) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit("gunicorn exited during start-up")
            try:
                if (await client.get(path)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("gunicorn did not answer within 30 s")


async def fetch_csrf(client: httpx.AsyncClient, path: str) -> tuple[str, str]:
    """What a browser gets from the event page: the CSRF cookie and the form's token."""
    response = await client.get(path)
    response.raise_for_status()
    match = CSRF_INPUT.search(response.text)
    cookie = response.cookies.get("csrftoken")
    if match is None or cookie is None:
        raise SystemExit("no CSRF token on the event page")
    return cookie, match.group(1)


async def assert_csrf_enforced(client: httpx.AsyncClient, path: str) -> None:
    """The measured stack must refuse a registration without a CSRF token."""
    response = await client.post(
        path,
        content=urlencode({"name": "No Token", "email": "no-token@bench.example.org"}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if response.status_code != 403:
        raise SystemExit(f"CSRF is not enforced: a tokenless POST got {response.status_code}")


async def run_phase(
    connections: list[Connection],
    *,
    path: str,
    host: str,
    bodies: list[dict[str, str]],
    credentials: list[tuple[str, str]],
    origin: str,
    expect_location: str,
    server_cpu: ServerCpu,
    answered_at: dict[str, float] | None = None,
) -> Phase:
    """Send every body once, one client per connection in parallel; time each request."""
    headers = [
        {
            "Cookie": f"csrftoken={cookie}",
            "Origin": origin,
            # As behind the TLS-terminating proxy production runs behind.
            "X-Forwarded-Proto": "https",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        for cookie, _token in credentials
    ]

    def build(number: int, body: dict[str, str]) -> bytes:
        content = urlencode({**body, "csrfmiddlewaretoken": credentials[number][1]})
        return form_post(path=path, host=host, body=content.encode(), headers=headers[number])

    web_before, database_before = server_cpu.sample()
    started = time.perf_counter()

    def answered(body: dict[str, str], at: float) -> None:
        if answered_at is not None:
            answered_at[body["email"]] = at

    timings = await send_all(
        connections, bodies, build=build, ok=(302, expect_location), answered=answered
    )
    phase = Phase(latencies=timings.latencies, errors=timings.errors)
    phase.seconds = time.perf_counter() - started
    web_after, database_after = server_cpu.sample()
    phase.web_cpu_seconds = web_after - web_before
    phase.database_cpu_seconds = database_after - database_before
    return phase


async def load(
    args: argparse.Namespace,
    base_url: str,
    slug: str,
    server_cpu: ServerCpu,
    answered_at: dict[str, float],
) -> tuple[Phase, Phase]:
    # Set-up (CSRF cookies and tokens, the CSRF check) through httpx, which follows the
    # page as a browser would; the timed POSTs through the lean client (bench/loadgen.py).
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(60.0)) as client:
        event_path = f"/events/{slug}/"
        credentials = await asyncio.gather(
            *(fetch_csrf(client, event_path) for _ in range(args.concurrency))
        )
        await assert_csrf_enforced(client, f"/events/{slug}/register/")
    host = base_url.removeprefix("http://")
    address, port = host.rsplit(":", 1)
    connections = [await Connection.open(address, int(port)) for _ in credentials]
    person = [
        {
            "name": f"Bench Person {n}",
            "email": f"person{n}@bench.example.org",
            "time_zone": "Asia/Tehran",
            "language": "en",
        }
        for n in range(args.registrations)
    ]
    common = {"host": host, "credentials": credentials, "origin": "https://" + host}
    per_round = -(-args.registrations // args.rounds)
    registration, baseline = Phase(), Phase()
    # A short warm-up of each path so that neither pays for lazy imports or connections.
    await run_phase(
        connections,
        path="/bench/baseline/",
        bodies=[{"name": "warm", "email": "warm@bench.example.org"}] * args.concurrency,
        expect_location="/",
        server_cpu=server_cpu,
        **common,
    )
    for round_number in range(args.rounds):
        chunk = person[round_number * per_round : (round_number + 1) * per_round]
        phases = [
            ("baseline", "/bench/baseline/", "/"),
            ("registration", f"/events/{slug}/register/", "/r/"),
        ]
        if round_number % 2:
            phases.reverse()
        for name, path, expect_location in phases:
            result = await run_phase(
                connections,
                path=path,
                bodies=chunk,
                expect_location=expect_location,
                server_cpu=server_cpu,
                answered_at=answered_at if name == "registration" else None,
                **common,
            )
            (registration if name == "registration" else baseline).add(result)
    for connection in connections:
        await connection.close()
    return registration, baseline


def start_mail_path(
    env: dict[str, str], database_url: str, smtp_port: int, log_dir: Path, concurrency: int
) -> list[subprocess.Popen[bytes]]:
    """The relay and one Celery worker, sending to the sink; their database work is tagged."""
    separator = "&" if "?" in database_url else "?"
    mail_env = {
        **env,
        "DATABASE_URL": f"{database_url}{separator}application_name={MAIL_PATH_APPLICATION}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "OUTBOX_RELAY_HEARTBEAT": str(log_dir / "relay-heartbeat"),
    }
    worker = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", "default,mail",
        "--pool", "prefork", "--concurrency", str(concurrency),
        "--hostname", f"bench-{uuid.uuid4().hex[:6]}@%h",
        "--without-gossip", "--without-mingle", "--loglevel", "WARNING",
    ]  # fmt: skip
    relay = [sys.executable, "manage.py", "outbox_relay"]
    started = []
    for name, command in (("worker", worker), ("relay", relay)):
        log = (log_dir / f"{name}.log").open("wb")
        started.append(
            subprocess.Popen(
                command, cwd=ROOT, env=mail_env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
    return started


def wait_for_mail(sink: Sink, answered_at: dict[str, float], timeout: float) -> dict[str, float]:
    """Seconds from each registration's answer until the sink accepted its first email."""
    deadline = time.monotonic() + timeout
    while True:
        accepted = sink.ask("accepted_at")["accepted_at"]
        if set(answered_at) <= set(accepted) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    return {
        email: accepted[email] - answered
        for email, answered in answered_at.items()
        if email in accepted
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    args = parse_args()
    if args.registrations <= args.capacity:
        raise SystemExit("--registrations must exceed --capacity so the waitlist path runs")
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    sys.path.insert(0, str(ROOT))
    env = server_environment(database_url)
    os.environ.update(env)
    ensure_database(database_url)
    if not os.environ.get("REDIS_URL"):
        # Without Redis, Celery's filesystem broker is used, as by `make run`.
        for folder in ("broker", "processed"):
            (ROOT / "var" / "celery" / folder).mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:10]
    event_id, slug = prepare_event(args.capacity, run_id)

    port = args.port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-registration-"))
    smtp_port = args.smtp_port or free_port()
    sink = Sink(smtp_port, (log_dir / "sink.log").open("w"))
    mail_path = start_mail_path(env, database_url, smtp_port, log_dir, args.mail_concurrency)
    server = start_server(args, port, env)
    # The server was started on every CPU; the load generator keeps to the last one.
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[-1]})
    answered_at: dict[str, float] = {}
    try:
        asyncio.run(wait_until_serving(base_url, f"/events/{slug}/", server))
        server_cpu = ServerCpu(server.pid, database_url)
        mail_cpu_before = server_cpu.mail_path_seconds([process.pid for process in mail_path])
        registration, baseline = asyncio.run(load(args, base_url, slug, server_cpu, answered_at))
        stop_server(server)
        mail_delays = wait_for_mail(sink, answered_at, args.mail_timeout)
        mail_cpu = (
            server_cpu.mail_path_seconds([process.pid for process in mail_path]) - mail_cpu_before
        )
    finally:
        stop_server(server)
        for process in mail_path:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in mail_path:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        sink.stop()
    counts = count_outcome(event_id)

    overbooked = max(counts["confirmed"] - counts["capacity"], 0)
    ratio = registration.per_second / baseline.per_second if baseline.per_second else 0.0
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory (per process)"
    print(f"date          {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"machine       {len(cpus)} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"PostgreSQL {counts['postgres']}, load average before {load_before[0]:.2f}"
    )
    print(
        f"server        gunicorn gthread, {args.workers} workers x {args.threads} threads, "
        f"all CPUs; settings bench.settings (production, DEBUG off); cache {cache}"
    )
    print(
        f"load          bench/loadgen.py (asyncio, keep-alive), {args.concurrency} concurrent "
        f"clients pinned to CPU "
        f"{cpus[-1]}; {args.rounds} alternating rounds; POST answered by 302, not followed; "
        "CSRF enforced (checked)"
    )
    print(registration.describe("registration"))
    print(baseline.describe("baseline"))
    print(
        f"event         capacity {counts['capacity']}, confirmed {counts['confirmed']}, "
        f"waitlisted {counts['waitlisted']}, seats_taken {counts['seats_taken']}, "
        f"rows {counts['rows']}, baseline rows {counts['baseline_rows']}; "
        f"{counts['emails']} emails in the outbox"
    )
    cpu_ratio = (
        baseline.server_cpu_ms_per_request / registration.server_cpu_ms_per_request
        if registration.server_cpu_ms_per_request
        else 0.0
    )
    print(
        f"server CPU    baseline/registration {cpu_ratio:.2f}; at this CPU cost {len(cpus)} idle "
        f"CPUs would serve at most {len(cpus) * 1000 / registration.server_cpu_ms_per_request:.0f}"
        " registrations/s (Redis and the load generator not counted)"
    )
    delays = sorted(mail_delays.values())
    mail_p95 = statistics.quantiles(delays, n=100)[94] if len(delays) > 1 else float("inf")
    print(
        f"mail          {len(delays)} of {len(answered_at)} registrations' emails accepted by "
        f"the sink; after the answer: p50 {statistics.median(delays) if delays else 0:.2f} s, "
        f"p95 {mail_p95:.2f} s, max {max(delays, default=0):.2f} s (relay + 1 worker of "
        f"{args.mail_concurrency}; logs in {log_dir}); mail-path CPU "
        f"{mail_cpu * 1000 / max(len(delays), 1):.2f} ms/email (relay, worker, their PostgreSQL)"
    )
    print(f"load average  after {os.getloadavg()[0]:.2f}")
    for label, phase in (("registration", registration), ("baseline", baseline)):
        for error in sorted(set(phase.errors))[:5]:
            print(f"error         {label}: {error}")
    consistent = (
        counts["seats_taken"] == counts["confirmed"]
        and counts["rows"] == len(registration.latencies)
        and not registration.errors
        and not baseline.errors
        and len(mail_delays) == len(answered_at)
    )
    if not consistent:
        print("WARNING       errors, or the database does not match the answers sent")
    print(
        f"RESULT registrations_per_s={registration.per_second:.1f} "
        f"p95_ms={registration.percentile_ms(95):.1f} baseline_ratio={ratio:.2f} "
        f"overbooked={overbooked} cpu_ratio={cpu_ratio:.2f} mail_p95_s={mail_p95:.2f}"
    )
    return 0 if consistent and overbooked == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
