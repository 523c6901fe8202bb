# Quiet hours for reminders (docs/reminders.md). New events get them on (22:00-08:00); events
# that exist already get them off, so their scheduled reminders stay exactly as computed —
# an organizer who switches them on there reschedules that event's reminders.

import datetime

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0005_organization_attendee_privacy'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='quiet_hours_enabled',
            field=models.BooleanField(default=False, verbose_name='quiet hours'),
        ),
        migrations.AlterField(
            model_name='event',
            name='quiet_hours_enabled',
            field=models.BooleanField(default=True, verbose_name='quiet hours'),
        ),
        migrations.AddField(
            model_name='event',
            name='quiet_hours_start',
            field=models.TimeField(default=datetime.time(22, 0), verbose_name='quiet hours start'),
        ),
        migrations.AddField(
            model_name='event',
            name='quiet_hours_end',
            field=models.TimeField(default=datetime.time(8, 0), verbose_name='quiet hours end'),
        ),
    ]
