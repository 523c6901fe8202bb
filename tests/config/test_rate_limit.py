"""Per-client limits: parsed rates, counted windows, and a cache outage that refuses nobody."""

from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from config import rate_limit
from config.rate_limit import Rate, parse_rate, rate_limit_exceeded


def request_from(address: str) -> Any:
    return RequestFactory().post("/", REMOTE_ADDR=address)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/m", Rate(20, 60)),
        ("100/h", Rate(100, 3600)),
        ("5/10s", Rate(5, 10)),
        ("1/d", Rate(1, 86400)),
        (" 3 / 2m ", Rate(3, 120)),
    ],
)
def test_rates_read_as_hits_per_period(text: str, expected: Rate) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["", "20", "20/", "20/x", "0/m", "-1/m", "20/0m", "m/20", "1.5/m"])
def test_anything_else_is_refused_with_the_forms_that_work(text: str) -> None:
    with pytest.raises(ValueError, match="write hits/period, such as 20/m"):
        parse_rate(text)


def test_a_client_is_refused_past_its_limit_and_others_are_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rate_limit.time, "time", lambda: 1_000_020.0)
    first, second = request_from("198.51.100.1"), request_from("198.51.100.2")

    hits = [rate_limit_exceeded(first, group="signup", rate="2/m") for _ in range(3)]

    assert hits == [False, False, True]
    assert not rate_limit_exceeded(second, group="signup", rate="2/m")
    assert not rate_limit_exceeded(first, group="another-form", rate="2/m")


def test_the_next_window_starts_a_new_count(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_000_020.0]
    monkeypatch.setattr(rate_limit.time, "time", lambda: now[0])
    visitor = request_from("198.51.100.1")
    assert [rate_limit_exceeded(visitor, group="signup", rate="1/m") for _ in range(2)] == [
        False,
        True,
    ]

    now[0] += 60

    assert not rate_limit_exceeded(visitor, group="signup", rate="1/m")


def test_a_cache_that_is_down_lets_people_through_and_logs_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    nothing_listens = {
        "default": {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=nothing_listens):
        allowed = [
            not rate_limit_exceeded(request_from("198.51.100.1"), group="signup", rate="1/m")
            for _ in range(3)
        ]

    assert allowed == [True, True, True]
    # The cache backend absorbs the outage for every caller (allauth's limits too) and logs it.
    assert "Cache add failed, answered as an empty cache" in caplog.text
    assert "Connection refused" in caplog.text
