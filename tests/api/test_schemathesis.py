"""Schemathesis against the live app (its WSGI handler, the full middleware stack): every
operation with a write token, a bounded number of generated requests each.

It fails on any 5xx and on any response the OpenAPI schema does not describe (status,
content type, headers, body). Path ids are pointed at real rows of the token's organization,
so requests reach the services rather than stopping at 404.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from notifications.models import ReminderRule
from tests.api.conftest import ApiWorld
from tests.factories import QuestionFactory, register

pytestmark = pytest.mark.django_db


# Building the schema needs no database, so it is loaded once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Keep the test's database connection (and its transaction) across requests.

    The WSGI handler closes old connections when a request starts and ends; the test
    client switches that off the same way, or each request would lose the test's data.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def real_ids(api_world: ApiWorld) -> dict[str, object]:
    registration = register(api_world.event, "someone@example.org")
    return {
        "event_id": api_world.event.pk,
        "registration_id": registration.pk,
        "question_id": QuestionFactory(event=api_world.event).pk,
        "rule_id": ReminderRule.objects.create(event=api_world.event, minutes_before=60).pk,
    }


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(
    case: Any, api_world: ApiWorld, real_ids: dict[str, object], same_connection: None
) -> None:
    # Only ids generated as valid ones are swapped: an invalid one must stay invalid.
    for name, value in (case.path_parameters or {}).items():
        if name in real_ids and isinstance(value, int):
            case.path_parameters[name] = real_ids[name]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_world.write_secret}"},
        # Rules the schema cannot state (a zone in the tz database, the end after the start,
        # a cursor this API gave out, seats already taken) refuse some schema-valid input
        # with a documented 422; that is the API working, not breaking its schema.
        excluded_checks=[positive_data_acceptance],
    )
