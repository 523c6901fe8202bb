"""The retry schedule: growing, jittered, about a day in all, Retry-After honoured."""

import itertools
from datetime import UTC, datetime

from django.conf import settings

from webhooks.sending import _retry_after_seconds, retry_delay


def test_waits_grow_and_end_after_about_a_day() -> None:
    waits = []
    attempts = 1
    while (wait := retry_delay(attempts=attempts)) is not None:
        waits.append(wait)
        attempts += 1

    assert attempts == 9  # the first try and eight retries
    # The last two waits are both 10 hours, give or take the jitter.
    assert all(earlier < later for earlier, later in itertools.pairwise(waits[:6]))
    assert 20 * 3600 < sum(waits) < 34 * 3600


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

    assert _retry_after_seconds("120", now) == 120
    assert _retry_after_seconds("Tue, 01 Jan 2030 12:10:00 GMT", now) == 600
    assert _retry_after_seconds("soon", now) is None
    assert retry_delay(attempts=1, retry_after=3600) == 3600
    assert retry_delay(attempts=1, retry_after=10**9) == settings.WEBHOOKS_RETRY_AFTER_MAX
