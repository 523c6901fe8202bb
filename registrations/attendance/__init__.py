"""Attendance from an uploaded report: read the CSV, match its rows, record who attended.

``reports.py`` reads a file (Zoom's webinar attendee report, or any CSV with an email column)
into rows; ``services.py`` matches them to the event's registrations for a preview and
records the result. Check-ins at the door count as attended without a report
(``Registration.has_attended``). docs/attendance.md.
"""
