"""Getting a token: the workspace page (owners) and the management command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.api.conftest import ApiClient, ApiWorld, assert_problem
from tests.factories import MembershipFactory
from workspace.models import ApiToken, AuditLogEntry

pytestmark = pytest.mark.django_db


def tokens_url(api_world: ApiWorld) -> str:
    return reverse("workspace:api_tokens", kwargs={"slug": api_world.organization.slug})


def test_an_owner_makes_a_token_shown_once_that_then_works(api_world: ApiWorld) -> None:
    client = Client()
    client.force_login(api_world.owner)

    response = client.post(
        tokens_url(api_world), {"name": "Spreadsheet", "scope": "read", "expires_on": ""}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["created"].secret
    assert secret in response.content.decode()
    assert ApiClient(secret).get("/events").status_code == 200
    page = client.get(tokens_url(api_world)).content.decode()
    assert "Spreadsheet" in page and secret not in page
    entry = AuditLogEntry.objects.get(action="api_token.created", details__name="Spreadsheet")
    assert entry.actor == api_world.owner


def test_an_owner_revokes_a_token_and_it_stops_at_once(api_world: ApiWorld) -> None:
    client = Client()
    client.force_login(api_world.owner)
    url = reverse(
        "workspace:api_token_revoke",
        kwargs={"slug": api_world.organization.slug, "token_id": api_world.write_token.pk},
    )

    assert client.post(url).status_code == 302

    assert_problem(api_world.writer.get("/events"), 401, "unauthorized")
    assert "revoked" in client.get(tokens_url(api_world)).content.decode()


def test_an_organizer_sees_the_list_but_cannot_make_or_revoke(api_world: ApiWorld) -> None:
    organizer = MembershipFactory(organization=api_world.organization).user
    client = Client()
    client.force_login(organizer)
    url = reverse(
        "workspace:api_token_revoke",
        kwargs={"slug": api_world.organization.slug, "token_id": api_world.write_token.pk},
    )

    assert "CRM sync" in client.get(tokens_url(api_world)).content.decode()
    assert client.post(tokens_url(api_world), {"name": "Mine", "scope": "read"}).status_code == 403
    assert client.post(url).status_code == 403
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 3


def test_an_expiry_in_the_past_is_refused(api_world: ApiWorld) -> None:
    client = Client()
    client.force_login(api_world.owner)
    response = client.post(
        tokens_url(api_world), {"name": "Old", "scope": "read", "expires_on": "2001-01-01"}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.filter(name="Old").exists()


def test_the_command_prints_the_token_alone_on_its_last_line(api_world: ApiWorld) -> None:
    out = StringIO()
    call_command(
        "api_token_create",
        organization="shahrzad",
        name="Script",
        write=True,
        stdout=out,
        stderr=StringIO(),
    )

    secret = out.getvalue().splitlines()[-1]
    assert secret.startswith("cvn_")
    assert ApiToken.objects.get(name="Script").scope == ApiToken.Scope.READ_WRITE
    response = ApiClient(secret).post(f"/events/{api_world.event.pk}/cancel")
    assert response.status_code == 200


def test_the_command_refuses_an_unknown_organization(api_world: ApiWorld) -> None:
    with pytest.raises(CommandError, match="nowhere"):
        call_command("api_token_create", organization="nowhere", name="X", stdout=StringIO())


def test_the_audit_log_names_the_token_that_acted(api_world: ApiWorld) -> None:
    api_world.writer.post(f"/events/{api_world.event.pk}/cancel")
    client = Client()
    client.force_login(api_world.owner)

    page = client.get(
        reverse("workspace:audit_log", kwargs={"slug": api_world.organization.slug})
    ).content.decode()

    assert "API token “CRM sync”" in page
    assert "Cancelled the event" in page
