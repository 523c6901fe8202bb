"""Who may do what: tokens, scopes, expiry, revocation, other organizations, rate limits."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from events.models import Event
from notifications.models import ReminderRule
from tests.api.conftest import ApiClient, ApiWorld, assert_problem
from tests.factories import QuestionFactory, register
from workspace.models import ApiToken
from workspace.services.api_tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_no_token_or_a_wrong_one_is_a_401_with_a_bearer_challenge(api_world: ApiWorld) -> None:
    for client in (ApiClient(None), ApiClient("cvn_not-a-real-token"), ApiClient("garbage")):
        response = client.get("/events")
        assert_problem(response, 401, "unauthorized")
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_tokens_stop_working(api_world: ApiWorld) -> None:
    api_token_revoke(token=api_world.write_token, actor=api_world.owner)
    assert_problem(api_world.writer.get("/events"), 401, "unauthorized")

    expiring = api_token_create(
        organization=api_world.organization,
        name="Short",
        scope=ApiToken.Scope.READ,
        expires_at=timezone.now() + timedelta(minutes=5),
        actor=api_world.owner,
    )
    ApiToken.objects.filter(pk=expiring.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert_problem(ApiClient(expiring.secret).get("/events"), 401, "unauthorized")


def test_only_the_hash_is_stored_and_use_is_recorded(api_world: ApiWorld) -> None:
    token = ApiToken.objects.get(pk=api_world.write_token.pk)
    assert api_world.write_secret.startswith("cvn_")
    assert api_world.write_secret not in (token.token_hash, token.hint)
    assert token.last_used_at is None

    api_world.writer.get("/events")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_token_cannot_write(api_world: ApiWorld) -> None:
    registration = register(api_world.event, "guest@example.org")
    question = QuestionFactory(event=api_world.event)
    event_path = f"/events/{api_world.event.pk}"
    writes = [
        ("post", "/events", {}),
        ("patch", event_path, {"title": "Mine now"}),
        ("post", event_path + "/publish", None),
        ("post", event_path + "/cancel", None),
        ("post", event_path + "/registrations", {}),
        ("post", f"{event_path}/registrations/{registration.pk}/cancel", None),
        ("post", f"{event_path}/registrations/{registration.pk}/check-in", None),
        ("post", event_path + "/questions", {}),
        ("post", event_path + "/reminder-rules", {}),
        ("delete", f"{event_path}/questions/{question.pk}", None),
        ("put", event_path + "/follow-ups/attended", {"minutes_after": 5, "message": "Hi"}),
        ("delete", event_path + "/follow-ups/attended", None),
    ]
    for method, path, body in writes:
        response = api_world.reader.request(method, path, body)
        # The body is checked before the view runs; a valid one would be refused the same.
        if response.status_code == 422:
            continue
        assert_problem(response, 403, "read_only_token")
    assert_problem(
        api_world.reader.patch(event_path, {"title": "Mine now"}), 403, "read_only_token"
    )
    api_world.event.refresh_from_db()
    assert api_world.event.title == "Evening of readings"
    assert api_world.event.status == Event.Status.PUBLISHED


def test_another_organizations_token_gets_404_everywhere(api_world: ApiWorld) -> None:
    registration = register(api_world.event, "guest@example.org")
    question = QuestionFactory(event=api_world.event)
    rule = ReminderRule.objects.create(event=api_world.event, minutes_before=30)
    event_path = f"/events/{api_world.event.pk}"
    registration_path = f"{event_path}/registrations/{registration.pk}"
    calls = [
        ("get", event_path, None),
        ("patch", event_path, {"title": "Taken over"}),
        ("post", event_path + "/publish", None),
        ("post", event_path + "/cancel", None),
        ("get", event_path + "/registrations", None),
        (
            "post",
            event_path + "/registrations",
            {"name": "X", "email": "x@example.org", "time_zone": "UTC"},
        ),
        ("get", registration_path, None),
        ("post", registration_path + "/cancel", None),
        ("post", registration_path + "/check-in", None),
        ("get", event_path + "/questions", None),
        ("post", event_path + "/questions", {"label": "Why?", "kind": "short_text"}),
        ("delete", f"{event_path}/questions/{question.pk}", None),
        ("get", event_path + "/reminder-rules", None),
        ("post", event_path + "/reminder-rules", {"kind": "before_start", "minutes_before": 5}),
        ("delete", f"{event_path}/reminder-rules/{rule.pk}", None),
        ("get", event_path + "/stats", None),
        ("get", event_path + "/follow-ups", None),
        ("put", event_path + "/follow-ups/absent", {"minutes_after": 5, "message": "Hi"}),
        ("delete", event_path + "/follow-ups/absent", None),
    ]
    for method, path, body in calls:
        body_text = assert_problem(api_world.stranger.request(method, path, body), 404, "not_found")
        assert "Evening" not in str(body_text)
    assert api_world.stranger.get("/events").json()["items"][0]["id"] == api_world.other_event.pk
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert api_world.event.questions.count() == 1


def test_a_token_over_its_rate_limit_gets_429_with_retry_after(api_world: ApiWorld) -> None:
    cache.clear()
    with override_settings(API_RATE_LIMIT="3/m"):
        statuses = [api_world.reader.get("/events").status_code for _ in range(3)]
        response = api_world.reader.get("/events")
        other = api_world.writer.get("/events")

    assert statuses == [200, 200, 200]
    assert_problem(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert other.status_code == 200  # the limit is per token


def test_a_body_that_is_not_json_is_a_400_problem(api_world: ApiWorld) -> None:
    response = api_world.writer.client.post(
        "/api/v1/events",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_world.write_secret}"},
    )
    assert_problem(response, 400, "bad_request")


def test_an_id_past_the_database_range_is_a_404(api_world: ApiWorld) -> None:
    assert_problem(api_world.reader.get(f"/events/{2**70}"), 404, "not_found")
