"""Pages that show one person's data (a registration, a series membership, the workspace) are
kept out of every cache, a shared computer's browser included: ``Cache-Control: private,
no-store`` (README, "Security headers")."""

from django.views.decorators.cache import cache_control

private_page = cache_control(private=True, no_store=True)
