"""Squashed: every migration of monitoring up to 0002_grounds_from_file, for a new database.

A database that has applied any of the migrations this replaces goes on through them instead. The
app's tables are created together in their final form (openward.core.migration_operations,
docs/decisions/0006-squashed-migrations.md); data migrations that only change existing rows are
left out, as a new database has none.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from openward.core.migration_operations import CreateModels


class Migration(migrations.Migration):

    replaces = [
        ('monitoring', '0001_monitoring_groups_samples_reviews'),
        ('monitoring', '0002_grounds_from_file'),
    ]

    initial = True

    dependencies = [
        ('areas', '0001_squashed_0003_station_hours'),
        ('crime', '0001_squashed_0006_demo_rows_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='MonitoringGroup',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200)),
                    ('borough', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.borough')),
                ],
            ),
            migrations.CreateModel(
                name='ReviewSample',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('month', models.DateField()),
                    ('size', models.PositiveIntegerField()),
                    ('seed', models.BigIntegerField()),
                    ('drawn_at', models.DateTimeField(auto_now_add=True)),
                    ('published_at', models.DateTimeField(blank=True, null=True)),
                    ('force_response', models.TextField(blank=True, help_text="The force's written response, published with the summary.")),
                    ('drawn_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='samples', to='monitoring.monitoringgroup')),
                ],
                options={
                    'ordering': ['-month'],
                },
            ),
            migrations.CreateModel(
                name='Action',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('what', models.CharField(max_length=500)),
                    ('owner', models.CharField(max_length=200)),
                    ('done_on', models.DateField(blank=True, null=True)),
                    ('sample', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='monitoring.reviewsample')),
                ],
            ),
            migrations.CreateModel(
                name='SampledStop',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('stratum', models.CharField(max_length=200)),
                    ('position', models.PositiveIntegerField()),
                    ('sample', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stops', to='monitoring.reviewsample')),
                    ('stop', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='crime.stop')),
                ],
                options={
                    'ordering': ['position'],
                },
            ),
            migrations.CreateModel(
                name='GroundsText',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.TextField()),
                    ('from_file', models.CharField(blank=True, max_length=100)),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('sampled', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grounds', to='monitoring.sampledstop')),
                ],
            ),
            migrations.CreateModel(
                name='StopReview',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('grounds_clear', models.CharField(choices=[('yes', 'Yes'), ('no', 'No'), ('unclear', 'Cannot tell')], max_length=8)),
                    ('video_seen', models.CharField(choices=[('yes', 'Yes'), ('no', 'No'), ('unclear', 'Cannot tell')], max_length=8)),
                    ('outcome_proportionate', models.CharField(choices=[('yes', 'Yes'), ('no', 'No'), ('unclear', 'Cannot tell')], max_length=8)),
                    ('concerns', models.TextField(blank=True)),
                    ('reviewed_at', models.DateTimeField(auto_now=True)),
                    ('reviewer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('sampled', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='review', to='monitoring.sampledstop')),
                ],
            ),
            migrations.AddConstraint(
                model_name='reviewsample',
                constraint=models.UniqueConstraint(fields=('group', 'month'), name='one_sample_per_group_month'),
            ),
        ]),
    ]
