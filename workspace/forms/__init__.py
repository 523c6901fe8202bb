"""Organizer workspace forms, one module per area."""
