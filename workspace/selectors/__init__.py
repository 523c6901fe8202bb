"""What the workspace pages read, one module per area: organizations, events, attendees,
members, messages, privacy, stats, audit, exports.

Every read is scoped to the signed-in member first: a page fetches its organization or
event through ``organizations`` or ``events`` (404 for anyone outside it), and only then
reads about it here. The writes are in ``workspace.services``.
"""
