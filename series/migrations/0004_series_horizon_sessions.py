import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('series', '0003_series_reminder_rules'),
    ]

    operations = [
        migrations.AddField(
            model_name='series',
            name='horizon_sessions',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Empty: every session within the days above.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='but at most this many upcoming sessions'),
        ),
    ]
