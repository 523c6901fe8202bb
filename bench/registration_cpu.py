"""CPU per registration, in-process: the whole WSGI stack without a server or a network client.

    make bench-registration-cpu [BENCH_ARGS="--requests 600 --rounds 2"]

bench/registration.py measures the real stack under concurrency, where neighbours on a
shared machine move every figure. This one calls Django's WSGI handler directly, one request
at a time, and reads the process's own CPU time, so it isolates what the code costs: the same
production settings (bench.settings: DEBUG off, CSRF checked, Redis cache and broker when
REDIS_URL is set), the same urlencoded POST with a CSRF cookie and token, for a fresh event
with seats for everyone (confirmations, with the two default reminder rules), alternating
with the bare-INSERT baseline view. PostgreSQL's own CPU is not counted.

    RESULT registration_cpu_ms=… baseline_cpu_ms=… cpu_ratio=…
"""

import argparse
import io
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600, help="requests per phase")
    parser.add_argument("--rounds", type=int, default=2, help="baseline/registration rounds")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.registration import DEFAULT_DATABASE_URL, ensure_database, server_environment

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    env = server_environment(database_url)
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ.update(env)
    ensure_database(database_url)
    from bench.registration import prepare_event

    # Seats for everyone: the most an event may have (events.models.CAPACITY_MAX).
    _event_id, slug = prepare_event(capacity=1_000_000, run_id=uuid.uuid4().hex[:10])

    from django.core.wsgi import get_wsgi_application
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    application = get_wsgi_application()
    secret = _get_new_csrf_string()
    token = _mask_cipher_secret(secret)

    def post(path: str, body: dict[str, str]) -> str:
        data = urlencode({**body, "csrfmiddlewaretoken": token}).encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": f"csrftoken={secret}",
            "HTTP_ORIGIN": "https://127.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        status: list[str] = []
        b"".join(application(environ, lambda line, headers, exc_info=None: status.append(line)))
        return status[0]

    def phase(path: str, count: int) -> float:
        """CPU milliseconds per request; every request must be answered with a redirect."""
        started = time.process_time()
        for _ in range(count):
            person = uuid.uuid4().hex[:12]
            body = {
                "name": f"Bench {person}",
                "email": f"{person}@bench.example.org",
                "time_zone": "Asia/Tehran",
                "language": "en",
            }
            answer = post(path, body)
            if not answer.startswith("302"):
                raise SystemExit(f"{path} answered {answer}")
        return (time.process_time() - started) * 1000 / count

    registration_path = f"/events/{slug}/register/"
    phase(registration_path, 50)  # warm-up: imports, connections, prepared statements
    phase("/bench/baseline/", 50)
    registration: list[float] = []
    baseline: list[float] = []
    for _ in range(args.rounds):
        baseline.append(phase("/bench/baseline/", args.requests))
        registration.append(phase(registration_path, args.requests))
    for label, figures in (("registration", registration), ("baseline", baseline)):
        print(f"{label:<13} " + "  ".join(f"{ms:6.2f}" for ms in figures) + " ms CPU/request")
    best_registration, best_baseline = min(registration), min(baseline)
    print(
        f"RESULT registration_cpu_ms={best_registration:.2f} "
        f"baseline_cpu_ms={best_baseline:.2f} cpu_ratio={best_baseline / best_registration:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
