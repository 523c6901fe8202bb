"""Launch day: many visitors open the event page, a tenth of them register.

    make bench-spike [BENCH_ARGS="--requests 20000 --concurrency 64"]

The stack of bench/registration.py (gunicorn with bench.settings on loopback, PostgreSQL,
Redis when REDIS_URL is set), one published event with 1,000 seats. Three phases:

* **spike**: ``--concurrency`` clients send ``--requests`` requests in all, of which every
  ``--register-every``-th is a registration (a POST with the client's CSRF token) and the
  others anonymous event-page views. Half the clients read English, half Persian; their
  browsers tell one of several zones (or none) in the ``convene_tz`` cookie.
* **page** and **hello**, alternating in ``--rounds`` rounds of ``--baseline-requests``
  each: the event page alone, and ``/bench/hello/`` (bench/views.py: the same middleware,
  no query, no template) as Django's floor. ``page_vs_hello`` is the page's rate over
  hello's.

Seats-left staleness: each English page view's "N seats left" is compared with the
registrations confirmed by then. A page shown at time t with N seats is stale by
t - (start of the request of the confirmation that took the seats below N), counted
conservatively (the view's answer time, the registration's start time). A page showing
seats after the event was full counts as stale too. The last line:

    RESULT page_views_per_s=… page_p95_ms=… page_vs_hello=… registrations_per_s=… \
register_p95_ms=… errors=… overbooked=… seats_left_stale_s=…
"""

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.loadgen import Connection, form_post, get_request
from bench.registration import (
    CSRF_INPUT,
    DEFAULT_DATABASE_URL,
    count_outcome,
    cpu_model,
    ensure_database,
    free_port,
    prepare_event,
    server_environment,
    start_server,
    stop_server,
    wait_until_serving,
)
from bench.server_cpu import ServerCpu

ROOT = Path(__file__).resolve().parent.parent
ZONES = ["", "Asia%2FTehran", "America%2FLos_Angeles", "Europe%2FBerlin", "Asia%2FKolkata"]
LANGUAGES = ["en", "fa"]
SEATS = re.compile(rb"<p>(\d+) seats? left</p>")
FULL = b"This event is full"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--capacity", type=int, default=1000, help="seats of the event")
    parser.add_argument("--requests", type=int, default=20_000, help="requests in the spike")
    parser.add_argument("--register-every", type=int, default=10, help="1 in N registers")
    parser.add_argument("--concurrency", type=int, default=64, help="concurrent clients")
    parser.add_argument("--baseline-requests", type=int, default=2000, help="per page/hello round")
    parser.add_argument("--rounds", type=int, default=3, help="page/hello rounds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=0, help="loopback port (0: any free one)")
    return parser.parse_args()


@dataclass
class Client:
    """One simulated browser: its language, its zone cookie and its CSRF cookie and token."""

    language: str
    zone: str
    cookie: str = ""
    token: str = ""

    def cookies(self) -> str:
        jar = [f"csrftoken={self.cookie}"]
        if self.zone:
            jar.append(f"convene_tz={self.zone}")
        return "; ".join(jar)

    def headers(self) -> dict[str, str]:
        return {
            "Accept-Language": self.language,
            "Cookie": self.cookies(),
            "X-Forwarded-Proto": "https",
        }


@dataclass
class Results:
    page_latencies: list[float] = field(default_factory=list)
    register_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # (request start, answer time, seats shown or 0 for full) of English page views.
    seats_seen: list[tuple[float, float, int]] = field(default_factory=list)
    # email -> (request start, answer time) of each registration answered with a 302.
    registered: dict[str, tuple[float, float]] = field(default_factory=dict)
    seconds: float = 0.0


async def fetch_credentials(base_url: str, path: str, clients: list[Client]) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(60.0)) as http:
        for client in clients:
            headers = {"Accept-Language": client.language}
            if client.zone:
                headers["Cookie"] = f"convene_tz={client.zone}"
            response = await http.get(path, headers=headers)
            response.raise_for_status()
            match = CSRF_INPUT.search(response.text)
            cookie = response.cookies.get("csrftoken")
            if match is None or cookie is None:
                raise SystemExit("no CSRF token on the event page")
            client.cookie, client.token = cookie, match.group(1)
            http.cookies.clear()


async def spike(
    connections: list[Connection],
    clients: list[Client],
    *,
    slug: str,
    host: str,
    args: argparse.Namespace,
) -> Results:
    results = Results()
    event_path = f"/events/{slug}/"
    register_path = f"/events/{slug}/register/"
    run = uuid.uuid4().hex[:6]
    work = iter(range(args.requests))

    async def drive(number: int, connection: Connection) -> None:
        client = clients[number]
        for item in work:
            registering = item % args.register_every == args.register_every - 1
            if registering:
                email = f"spike-{run}-{item}@bench.example.org"
                body = urlencode(
                    {
                        "name": f"Spike {item}",
                        "email": email,
                        "time_zone": "Asia/Tehran",
                        "language": client.language,
                        "csrfmiddlewaretoken": client.token,
                    }
                ).encode()
                raw = form_post(
                    path=register_path,
                    host=host,
                    body=body,
                    headers={
                        **client.headers(),
                        "Origin": "https://" + host,
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
            else:
                raw = get_request(path=event_path, host=host, headers=client.headers())
            started = time.perf_counter()
            started_wall = time.time()
            try:
                answer = await connection.request(raw)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                results.errors.append(repr(error))
                continue
            elapsed = time.perf_counter() - started
            if registering:
                if answer.status == 302 and answer.location.startswith("/r/"):
                    results.register_latencies.append(elapsed)
                    results.registered[email] = (started_wall, time.time())
                else:
                    results.errors.append(f"register {answer.status} {answer.location}")
                continue
            if answer.status != 200:
                results.errors.append(f"page {answer.status}")
                continue
            results.page_latencies.append(elapsed)
            if client.language == "en":
                seats = SEATS.search(answer.body)
                if seats:
                    results.seats_seen.append((started_wall, time.time(), int(seats.group(1))))
                elif FULL in answer.body:
                    results.seats_seen.append((started_wall, time.time(), 0))

    started = time.perf_counter()
    await asyncio.gather(*(drive(n, c) for n, c in enumerate(connections)))
    results.seconds = time.perf_counter() - started
    return results


async def repeat_get(
    connections: list[Connection], clients: list[Client], *, path: str, host: str, count: int
) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    work = iter(range(count))

    async def drive(number: int, connection: Connection) -> None:
        raw = get_request(path=path, host=host, headers=clients[number].headers())
        for _ in work:
            started = time.perf_counter()
            try:
                answer = await connection.request(raw)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                errors.append(repr(error))
                continue
            if answer.status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors.append(f"{path} {answer.status}")

    started = time.perf_counter()
    await asyncio.gather(*(drive(n, c) for n, c in enumerate(connections)))
    return latencies, errors, time.perf_counter() - started


def staleness(
    results: Results, confirmed_emails: list[str], capacity: int
) -> tuple[float, float, int, int]:
    """How stale the seats-left figures were, in seconds, bounded from both sides.

    The k-th confirmation committed after the k-th confirmed request started and before the
    k-th answer to one came back. So the upper bound counts from the view's answer to the
    k-th start (a view or a registration queued in the server counts its wait), the lower
    bound from the view's start to the k-th answer. Also the views showing seats once the
    event was surely full, counted from their answer and from their start.
    """
    confirmations = sorted(results.registered[email] for email in confirmed_emails)
    starts = [start for start, _answer in confirmations]
    answers = sorted(answer for _start, answer in confirmations)
    full_at = float("inf")
    if len(confirmations) >= capacity:
        # Surely full once every confirmed registration had its answer.
        full_at = max(answer for _start, answer in confirmations)
    upper, lower, after_full_answer, after_full_start = 0.0, 0.0, 0, 0
    for view_start, view_answer, shown in results.seats_seen:
        if shown == 0:
            continue
        after_full_answer += view_answer > full_at
        after_full_start += view_start > full_at
        # The confirmation that took the count below `shown` is number capacity - shown + 1.
        taken_below = capacity - shown  # its index in `starts`
        if taken_below < len(starts):
            upper = max(upper, view_answer - starts[taken_below])
            lower = max(lower, view_start - answers[taken_below])
    return upper, lower, after_full_answer, after_full_start


def percentile_ms(latencies: list[float], percent: int) -> float:
    if len(latencies) < 2:
        return 0.0
    return statistics.quantiles(latencies, n=100)[percent - 1] * 1000


def confirmed_emails(event_id: int) -> list[str]:
    from registrations.models import Registration

    return list(
        Registration.objects.filter(
            event_id=event_id, status=Registration.Status.CONFIRMED
        ).values_list("email", flat=True)
    )


async def load(
    args: argparse.Namespace, base_url: str, slug: str, server_cpu: ServerCpu
) -> tuple[Results, dict[str, tuple[list[float], list[str], float, float]]]:
    host = base_url.removeprefix("http://")
    clients = [
        Client(language=LANGUAGES[n % 2], zone=ZONES[n % len(ZONES)])
        for n in range(args.concurrency)
    ]
    await fetch_credentials(base_url, f"/events/{slug}/", clients)
    address, port = host.rsplit(":", 1)
    connections = [await Connection.open(address, int(port)) for _ in clients]
    results = await spike(connections, clients, slug=slug, host=host, args=args)
    phases: dict[str, tuple[list[float], list[str], float, float]] = {
        "page": ([], [], 0.0, 0.0),
        "hello": ([], [], 0.0, 0.0),
    }
    for round_number in range(args.rounds):
        order = [("page", f"/events/{slug}/"), ("hello", "/bench/hello/")]
        if round_number % 2:
            order.reverse()
        for name, path in order:
            web_before, database_before = server_cpu.sample()
            latencies, errors, seconds = await repeat_get(
                connections, clients, path=path, host=host, count=args.baseline_requests
            )
            web_after, database_after = server_cpu.sample()
            cpu = (web_after - web_before) + (database_after - database_before)
            done, failed, total_seconds, total_cpu = phases[name]
            phases[name] = (
                done + latencies,
                failed + errors,
                total_seconds + seconds,
                total_cpu + cpu,
            )
    for connection in connections:
        await connection.close()
    return results, phases


def main() -> int:
    args = parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    sys.path.insert(0, str(ROOT))
    env = server_environment(database_url)
    os.environ.update(env)
    ensure_database(database_url)
    if not os.environ.get("REDIS_URL"):
        for folder in ("broker", "processed"):
            (ROOT / "var" / "celery" / folder).mkdir(parents=True, exist_ok=True)
    event_id, slug = prepare_event(args.capacity, uuid.uuid4().hex[:10])

    port = args.port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    server = start_server(args, port, env)
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[-1]})
    try:
        asyncio.run(wait_until_serving(base_url, f"/events/{slug}/", server))
        server_cpu = ServerCpu(server.pid, database_url)
        results, phases = asyncio.run(load(args, base_url, slug, server_cpu))
    finally:
        stop_server(server)
    counts = count_outcome(event_id)
    overbooked = max(counts["confirmed"] - counts["capacity"], 0)
    stale_s, stale_lower_s, seats_when_full, seats_when_full_at_start = staleness(
        results, confirmed_emails(event_id), counts["capacity"]
    )

    page_latencies, page_errors, page_seconds, page_cpu = phases["page"]
    hello_latencies, hello_errors, hello_seconds, hello_cpu = phases["hello"]
    page_rate = len(page_latencies) / page_seconds if page_seconds else 0.0
    hello_rate = len(hello_latencies) / hello_seconds if hello_seconds else 0.0
    errors = len(results.errors) + len(page_errors) + len(hello_errors)
    page_views_per_s = len(results.page_latencies) / results.seconds
    registrations_per_s = len(results.register_latencies) / results.seconds

    print(f"date          {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"machine       {len(cpus)} CPUs ({cpu_model()}), PostgreSQL {counts['postgres']}, "
        f"load average before {load_before[0]:.2f}"
    )
    print(
        f"server        gunicorn gthread, {args.workers} x {args.threads}; bench.settings; "
        f"cache {'Redis' if os.environ.get('REDIS_URL') else 'local memory'}; "
        f"{args.concurrency} clients pinned to CPU {cpus[-1]}"
    )
    print(
        f"spike         {args.requests} requests in {results.seconds:.2f} s: "
        f"{len(results.page_latencies)} page views ({page_views_per_s:.1f}/s, p50 "
        f"{percentile_ms(results.page_latencies, 50):.1f} ms, p95 "
        f"{percentile_ms(results.page_latencies, 95):.1f} ms), "
        f"{len(results.register_latencies)} registrations ({registrations_per_s:.1f}/s, p50 "
        f"{percentile_ms(results.register_latencies, 50):.1f} ms, p95 "
        f"{percentile_ms(results.register_latencies, 95):.1f} ms), errors {len(results.errors)}"
    )
    for name, latencies, seconds, cpu in (
        ("page only", page_latencies, page_seconds, page_cpu),
        ("hello", hello_latencies, hello_seconds, hello_cpu),
    ):
        print(
            f"{name:<13} {len(latencies)} requests in {seconds:.2f} s = "
            f"{len(latencies) / seconds if seconds else 0:.1f}/s, p95 "
            f"{percentile_ms(latencies, 95):.1f} ms, server CPU "
            f"{cpu * 1000 / max(len(latencies), 1):.2f} ms/request"
        )
    print(
        f"event         capacity {counts['capacity']}, confirmed {counts['confirmed']}, "
        f"waitlisted {counts['waitlisted']}, seats_taken {counts['seats_taken']}; "
        f"{len(results.seats_seen)} English page views checked; worst seats-left staleness "
        f"{stale_s:.2f} s from the view's answer, {stale_lower_s:.2f} s from its start; seats "
        f"shown after full: {seats_when_full} by answer time, {seats_when_full_at_start} of "
        "views started after full"
    )
    print(f"load average  after {os.getloadavg()[0]:.2f}")
    for error in sorted(set(results.errors + page_errors + hello_errors))[:5]:
        print(f"error         {error}")
    print(
        f"RESULT page_views_per_s={page_views_per_s:.1f} "
        f"page_p95_ms={percentile_ms(results.page_latencies, 95):.1f} "
        f"page_vs_hello={page_rate / hello_rate if hello_rate else 0:.2f} "
        f"registrations_per_s={registrations_per_s:.1f} "
        f"register_p95_ms={percentile_ms(results.register_latencies, 95):.1f} "
        f"errors={errors} overbooked={overbooked} seats_left_stale_s={stale_s:.2f}"
    )
    consistent = counts["seats_taken"] == counts["confirmed"] and seats_when_full_at_start == 0
    return 0 if consistent and errors == 0 and overbooked == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
