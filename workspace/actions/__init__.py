"""What organizers do in the workspace: each action calls one lower service and records it
in the audit log, in one transaction, so there is never a change without its log entry."""
