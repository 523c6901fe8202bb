"""docker-compose.yml as deployed: a proxy in front, migrations first, health checks, pins.

Read as YAML (no Docker engine is needed); `docker compose config` checks the rest.
"""

import ipaddress
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat", "relay")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())
    return loaded


def services() -> dict[str, Any]:
    found: dict[str, Any] = compose()["services"]
    return found


def test_every_service_has_a_health_check_or_is_a_one_shot() -> None:
    for name, service in services().items():
        if service.get("restart") == "no":
            continue
        assert service.get("healthcheck", {}).get("test"), name


def test_every_image_is_pinned_to_a_version() -> None:
    images = [service["image"] for service in services().values() if "build" not in service]
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text()
    images += re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.MULTILINE)
    for image in images:
        tag = image.rpartition(":")[2] if ":" in image else ""
        assert re.search(r"\d+\.\d+", tag), f"{image} is not pinned to a version"


def test_migrations_run_once_before_web_worker_and_beat() -> None:
    everything = services()
    migrate = everything["migrate"]
    assert migrate["command"][-3:] == ["manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    for name in APP_SERVICES:
        service = everything[name]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "migrate" not in " ".join(service.get("command", [])), name


def test_only_the_proxy_is_reachable_from_outside() -> None:
    everything = services()
    for name, service in everything.items():
        if name == "caddy":
            continue
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port}"
    assert set(everything["caddy"]["networks"]) == {"edge"}
    members = {
        name for name, service in everything.items() if "edge" in service.get("networks", [])
    }
    assert members == {"caddy", "web"}


def test_gunicorn_and_django_trust_the_proxys_network_alone() -> None:
    everything = compose()
    [subnet] = [entry["subnet"] for entry in everything["networks"]["edge"]["ipam"]["config"]]
    environment = everything["services"]["web"]["environment"]
    assert ipaddress.ip_network(environment["FORWARDED_ALLOW_IPS"]) == ipaddress.ip_network(subnet)
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    for path in ("Dockerfile", "docker-compose.yml"):
        text = (PROJECT_DIR / path).read_text()
        assert "forwarded-allow-ips" not in text.replace("FORWARDED_ALLOW_IPS", ""), path
    caddyfile = (PROJECT_DIR / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert environment["PORT"] == "8000"


def healthcheck(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    script = PROJECT_DIR / "bin" / "healthcheck"
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=30,
    )


def test_the_beat_health_check_needs_a_recently_written_schedule_file(tmp_path: Path) -> None:
    schedule = tmp_path / "beat-schedule"
    assert "no schedule file" in healthcheck("beat", str(schedule)).stderr
    written = tmp_path / "beat-schedule.db"  # the suffix the dbm module chose
    written.write_bytes(b"")
    assert healthcheck("beat", str(schedule)).returncode == 0
    an_hour_ago = time.time() - 3600
    os.utime(written, (an_hour_ago, an_hour_ago))
    stale = healthcheck("beat", str(schedule))
    assert stale.returncode == 1
    assert "last written 3600 s ago" in stale.stderr


def test_the_relay_runs_in_compose_and_its_health_check_needs_a_fresh_heartbeat(
    tmp_path: Path,
) -> None:
    assert services()["relay"]["command"] == ["python", "manage.py", "outbox_relay"]
    heartbeat = tmp_path / "relay-heartbeat"
    assert "no heartbeat file" in healthcheck("relay", OUTBOX_RELAY_HEARTBEAT=str(heartbeat)).stderr
    heartbeat.write_bytes(b"")
    assert healthcheck("relay", OUTBOX_RELAY_HEARTBEAT=str(heartbeat)).returncode == 0
    two_minutes_ago = time.time() - 120
    os.utime(heartbeat, (two_minutes_ago, two_minutes_ago))
    stale = healthcheck("relay", OUTBOX_RELAY_HEARTBEAT=str(heartbeat))
    assert stale.returncode == 1
    assert "heartbeat last touched 120 s ago" in stale.stderr


def test_the_web_health_check_fails_when_nothing_answers() -> None:
    result = healthcheck("web", PORT="1")  # nothing listens on port 1
    assert result.returncode == 1
    assert "web: no answer on port 1" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_web_health_check_passes_when_the_home_page_answers(live_server: Any) -> None:
    port = live_server.url.rsplit(":", 1)[1]
    result = healthcheck("web", PORT=port, ALLOWED_HOSTS="localhost,127.0.0.1")
    assert result.returncode == 0, result.stderr
