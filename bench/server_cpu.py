"""What bench/registration.py measures per phase: latencies, and the server's CPU time.

Wall-clock rates on a shared machine say as much about the neighbours as about the code;
CPU spent per request (gunicorn's processes and their PostgreSQL backends) is steadier.
"""

import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path

# application_name of the relay's and the worker's database connections (bench/registration.py).
MAIL_PATH_APPLICATION = "bench-mail-path"


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    # CPU time the server side spent: gunicorn's processes and their PostgreSQL backends.
    web_cpu_seconds: float = 0.0
    database_cpu_seconds: float = 0.0

    def add(self, other: "Phase") -> None:
        self.latencies += other.latencies
        self.seconds += other.seconds
        self.errors += other.errors
        self.web_cpu_seconds += other.web_cpu_seconds
        self.database_cpu_seconds += other.database_cpu_seconds

    def _per_request_ms(self, seconds: float) -> float:
        return seconds * 1000 / len(self.latencies) if self.latencies else 0.0

    @property
    def server_cpu_ms_per_request(self) -> float:
        return self._per_request_ms(self.web_cpu_seconds + self.database_cpu_seconds)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[percent - 1] * 1000

    def describe(self, label: str) -> str:
        return (
            f"{label:<13} {len(self.latencies):>5} requests in {self.seconds:6.2f} s = "
            f"{self.per_second:7.1f}/s   p50 {self.percentile_ms(50):6.1f} ms   "
            f"p95 {self.percentile_ms(95):6.1f} ms   p99 {self.percentile_ms(99):6.1f} ms   "
            f"errors {len(self.errors)}   "
            f"server CPU {self.server_cpu_ms_per_request:5.2f} ms/request "
            f"(gunicorn {self._per_request_ms(self.web_cpu_seconds):4.2f} + "
            f"PostgreSQL {self._per_request_ms(self.database_cpu_seconds):4.2f})"
        )


class ServerCpu:
    """CPU seconds used so far by gunicorn's workers and the database's client backends.

    Wall-clock rates on a shared machine say as much about the neighbours as about the code;
    CPU spent per request is the steadier measure of the code's own cost.
    """

    def __init__(self, gunicorn_pid: int, database_url: str) -> None:
        import psycopg

        self.gunicorn_pid = gunicorn_pid
        self.database = psycopg.connect(database_url, autocommit=True)
        self.ticks_per_second = os.sysconf("SC_CLK_TCK")

    def _process_seconds(self, pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        # utime and stime, fields 14 and 15 of proc(5), counted after the command name.
        return (int(fields[11]) + int(fields[12])) / self.ticks_per_second

    def _gunicorn_workers(self) -> list[int]:
        workers = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == self.gunicorn_pid:
                workers.append(int(stat.parent.name))
        return workers

    def mail_path_seconds(self, session_leaders: list[int]) -> float:
        """CPU seconds so far of the relay and the worker (every process of their sessions,
        with the children they reaped) and of their PostgreSQL backends."""
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # session (field 6 of proc(5)); utime, stime, cutime, cstime (fields 14-17).
            if int(fields[3]) in session_leaders:
                total += sum(int(value) for value in fields[11:15]) / self.ticks_per_second
        backends = self.database.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = %s",
            [MAIL_PATH_APPLICATION],
        ).fetchall()
        return total + sum(self._process_seconds(pid) for (pid,) in backends)

    def sample(self) -> tuple[float, float]:
        """(gunicorn, PostgreSQL) CPU seconds so far."""
        backends = self.database.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
            # The relay's and the mail worker's backends: the mail path, not the request's.
            "AND application_name <> %s",
            [MAIL_PATH_APPLICATION],
        ).fetchall()
        web = [self.gunicorn_pid, *self._gunicorn_workers()]
        return (
            sum(self._process_seconds(pid) for pid in web),
            sum(self._process_seconds(pid) for (pid,) in backends),
        )
