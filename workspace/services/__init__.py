"""What organizers do in the workspace (the writes), one module per area: events, attendees,
members, messages, privacy, exports.

Each service changes state and records it in the audit log in one transaction, so there is
never a change without its log entry. The reads are in ``workspace.selectors``.
"""
