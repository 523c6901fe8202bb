"""Reminders: per-event rules, each registrant's schedule, the due-reminder dispatcher, opt-out.

See docs/reminders.md. The parts: ``rules`` (due-time arithmetic and rule validation, pure),
``schedule`` (keeping one ScheduledReminder per confirmed registration and rule),
``dispatch`` (claiming due rows and writing their outbox emails), ``services`` (the use cases
other code calls), ``handlers`` (reactions to event and registration facts), ``tasks``,
``views`` and ``admin``.
"""
