"""Squashed: every migration of policeuk up to 0002_synced_events_and_priorities, for a new database.

A database that has applied any of the migrations this replaces goes on through them instead. The
app's tables are created together in their final form (openward.core.migration_operations,
docs/decisions/0006-squashed-migrations.md); data migrations that only change existing rows are
left out, as a new database has none.
"""

import django.db.models.deletion
from django.db import migrations, models
from openward.core.migration_operations import CreateModels


class Migration(migrations.Migration):

    replaces = [
        ('policeuk', '0001_synced_month'),
        ('policeuk', '0002_synced_events_and_priorities'),
    ]

    initial = True

    dependencies = [
        ('areas', '0001_squashed_0003_station_hours'),
        ('core', '0001_initial'),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='SyncedEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('position', models.PositiveIntegerField(help_text="Its place in police.uk's list.")),
                    ('title', models.TextField()),
                    ('description', models.TextField(blank=True, help_text='May contain HTML, as on police.uk.')),
                    ('address', models.TextField(blank=True)),
                    ('type', models.CharField(blank=True, help_text='As police.uk gives it, e.g. "meeting".', max_length=100)),
                    ('starts_at', models.DateTimeField()),
                    ('ends_at', models.DateTimeField(blank=True, null=True)),
                    ('contact_details', models.JSONField(blank=True, default=dict)),
                    ('source_url', models.CharField(help_text='The police.uk-compatible address it was read from.', max_length=500)),
                    ('synced_at', models.DateTimeField(help_text='When a sync last read it there.')),
                    ('neighbourhood', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='synced_events', to='areas.neighbourhood')),
                ],
                options={
                    'ordering': ['starts_at', 'position'],
                },
            ),
            migrations.CreateModel(
                name='SyncedPriority',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('position', models.PositiveIntegerField(help_text="Its place in police.uk's list.")),
                    ('issue', models.TextField(blank=True, help_text='HTML, as on police.uk.')),
                    ('issue_date', models.DateTimeField()),
                    ('action', models.TextField(blank=True, help_text='HTML, as on police.uk.')),
                    ('action_date', models.DateTimeField(blank=True, null=True)),
                    ('source_url', models.CharField(help_text='The police.uk-compatible address it was read from.', max_length=500)),
                    ('synced_at', models.DateTimeField(help_text='When a sync last read it there.')),
                    ('neighbourhood', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='synced_priorities', to='areas.neighbourhood')),
                ],
                options={
                    'verbose_name_plural': 'synced priorities',
                    'ordering': ['-issue_date', 'position'],
                },
            ),
            migrations.CreateModel(
                name='SyncedMonth',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('month', models.DateField(help_text='First day of the month.')),
                    ('source', models.CharField(help_text='The API base URL or archive URL it came from.', max_length=500)),
                    ('synced_at', models.DateTimeField(auto_now=True)),
                    ('force', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.force')),
                    ('import_run', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.importrun')),
                ],
                options={
                    'ordering': ['force', 'month'],
                    'constraints': [models.UniqueConstraint(fields=('force', 'month'), name='synced_month_once')],
                },
            ),
        ]),
    ]
