"""Per-client limits in fixed windows, counted in the cache.

A rate reads ``"20/m"``: at most 20 hits per minute (units s, m, h, d; ``"100/5m"`` means
per five minutes). Each client has a counter per window; the first hit of a window creates
it with the window's length as its expiry, so old windows clean themselves up.

The counter is Django's cache API alone: ``add`` for a window's first hit, ``incr`` for the
others. (A Lua script on Redis did it in one round trip, by reaching into Django's cache
client; it saved about 2 % of a registration's CPU, too little to keep: docs/design.md.)

A cache that is down must not turn away the people a limit is there to protect: the check
then lets the request through and logs the error. The Redis cache of production
(config/redis_cache.py) already answers as an empty cache then, for allauth's limits too.
"""

import logging
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.http import HttpRequest

from config.client_ip import client_ip

logger = logging.getLogger(__name__)

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"(\d+)/(\d*)([smhd])")


@dataclass(frozen=True)
class Rate:
    limit: int
    period_seconds: int


@lru_cache(maxsize=32)
def parse_rate(rate: str) -> Rate:
    """``"20/m"`` → 20 per 60 s. Raises ValueError with the accepted forms for anything else."""
    match = _RATE.fullmatch(rate.replace(" ", ""))
    if match is None or int(match[1]) < 1 or match[2] == "0":
        raise ValueError(
            f"{rate!r} is not a rate: write hits/period, such as 20/m, 100/h or 5/10s "
            "(units s, m, h, d)."
        )
    return Rate(limit=int(match[1]), period_seconds=int(match[2] or 1) * _UNIT_SECONDS[match[3]])


def _count_hit(key: str, *, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr: this hit starts a new window
        cache.set(key, 1, timeout=timeout)
        return 1


def rate_limit_exceeded(request: HttpRequest, *, group: str, rate: str) -> bool:
    """Count this request against its client's limit in ``group``; True once over the limit."""
    parsed = parse_rate(rate)
    window = int(time.time()) // parsed.period_seconds
    key = f"rate:{group}:{parsed.period_seconds}:{window}:{client_ip(request)}"
    try:
        hits = _count_hit(key, timeout=parsed.period_seconds)
    except Exception:  # the cache is down: let people through rather than refuse everyone
        logger.exception("Rate limit %s not checked: the cache failed", group)
        return False
    return hits > parsed.limit
