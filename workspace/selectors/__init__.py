"""Workspace reads for the organizer tools, one module per area; every read is scoped by the
caller through ``workspace.selectors`` (membership) before it reaches these."""
