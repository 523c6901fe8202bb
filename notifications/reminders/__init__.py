"""Reminders: per-event rules, each registrant's schedule, the due-reminder dispatcher, opt-out.

See docs/reminders.md. The parts: ``kinds`` (one module per kind of rule: its due time,
validation, wording and form fields; pure), ``rules`` (who gets reminders, the defaults),
``schedule`` (keeping one ScheduledReminder per confirmed registration and rule),
``dispatch`` (claiming due rows and writing their outbox emails), ``services`` (the use cases
other code calls), ``handlers`` (reactions to event and registration facts), ``tasks``,
``views`` and ``admin``.
"""
