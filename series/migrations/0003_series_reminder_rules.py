import django.db.models.deletion
from django.db import migrations, models

# What every new event gets (notifications.reminders.rules.DEFAULT_MINUTES_BEFORE), written
# out: a migration must not change when that setting does.
DEFAULT_MINUTES_BEFORE = (1440, 60)


def give_existing_series_the_default_reminders(apps, schema_editor):
    """Sessions made before series had reminder rules got the defaults; so do their series."""
    Series = apps.get_model('series', 'Series')
    SeriesReminderRule = apps.get_model('series', 'SeriesReminderRule')
    SeriesReminderRule.objects.bulk_create(
        SeriesReminderRule(series=series, kind='before_start', minutes_before=minutes)
        for series in Series.objects.all()
        for minutes in DEFAULT_MINUTES_BEFORE
    )


class Migration(migrations.Migration):

    dependencies = [
        ('series', '0002_series_registration_erased_at'),
    ]

    operations = [
        migrations.CreateModel(
            name='SeriesReminderRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('before_start', 'A fixed time before the start'), ('day_before_at', "The day before, at a time in the registrant's zone"), ('after_end', 'A follow-up, a fixed time after the end')], default='before_start', max_length=20)),
                ('minutes_before', models.PositiveIntegerField(blank=True, null=True)),
                ('local_time', models.TimeField(blank=True, null=True)),
                ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_rules', to='series.series')),
            ],
            options={
                'ordering': ['series', 'id'],
            },
        ),
        migrations.RunPython(give_existing_series_the_default_reminders, migrations.RunPython.noop),
    ]
