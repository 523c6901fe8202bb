"""The OpenAPI document and the docs page, which loads nothing from other hosts."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_documents_every_operation_and_problem_responses() -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    assert schema["info"]["title"] == "Convene API"
    operations = [(method, path) for path, item in schema["paths"].items() for method in item]
    assert len(operations) == 22
    assert ("put", "/api/v1/events/{event_id}/follow-ups/{audience}") in operations
    assert ("get", "/api/v1/events/{event_id}/stats") in operations
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )


def test_the_docs_page_uses_only_this_sites_files() -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    assert '"validatorUrl": null' in page
