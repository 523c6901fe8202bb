"""Organizer workspace views, one module per area (events, attendees, exports, ...)."""
