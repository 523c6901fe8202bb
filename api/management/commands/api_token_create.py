"""``manage.py api_token_create --organization <slug> --name <name> [--write]``.

Prints the new token alone on its last line, for scripts: ``TOKEN=$(... | tail -n 1)``.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events.models import Organization
from workspace.models import ApiToken
from workspace.services.api_tokens import api_token_create


class Command(BaseCommand):
    help = "Make an API token for an organization and print it (shown only this once)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organization", required=True, help="The organization's slug.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--write", action="store_true", help="May change things too (default: read only)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"No organization has the slug {options['organization']!r}.")
        scope = ApiToken.Scope.READ_WRITE if options["write"] else ApiToken.Scope.READ
        try:
            created = api_token_create(
                organization=organization, name=options["name"], scope=scope, actor=None
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(
            f"Token {created.token.name!r} ({created.token.get_scope_display()}) for "
            f"{organization.name}. Keep it secret; it is not shown again:"
        )
        self.stdout.write(created.secret)
