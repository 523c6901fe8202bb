"""The REST API at /api/v1/ (docs/api.md): one NinjaAPI, its routers, its errors.

The docs page is django-ninja's Swagger UI, served from this site's static files (ninja is
an installed app, so its template uses ``{% static %}``): nothing is loaded from another host.
"""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from api.auth import TokenAuth
from api.problems import PROBLEM_CONTENT_TYPE, install_problem_handlers
from api.routers import event_lists, events, follow_ups, public, registrations

DESCRIPTION = """
Convene's REST API: an organization's events (those it co-hosts included), their
registrations and attendance, questions, reminder rules, follow-ups and statistics.

Send a token as `Authorization: Bearer <token>`. Owners make tokens in the workspace
(Organization → API tokens) or with `python manage.py api_token_create`. A read token may
only read; a write token may also change things. Errors are `application/problem+json`
(RFC 9457) with a stable `code`. See docs/api.md.
"""


class ConveneApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Errors are documented as ``application/problem+json``, the type they are sent as."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = ConveneApi(
    title="Convene API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    # validatorUrl null: Swagger UI would otherwise send the schema to an outside validator.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
)
install_problem_handlers(api)
api.add_router("", events.router)
api.add_router("", registrations.router)
api.add_router("", event_lists.router)
api.add_router("", follow_ups.router)
api.add_router("", public.router)
