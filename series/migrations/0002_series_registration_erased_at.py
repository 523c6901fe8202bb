from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('series', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='seriesregistration',
            name='erased_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
