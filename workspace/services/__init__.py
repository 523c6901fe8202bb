"""Workspace use cases that write: one module per area (messages, members, privacy)."""
