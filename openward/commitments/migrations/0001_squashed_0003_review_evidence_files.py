"""Squashed: every migration of commitments up to 0003_review_evidence_files, for a new database.

A database that has applied any of the migrations this replaces goes on through them instead. The
app's tables are created together in their final form (openward.core.migration_operations,
docs/decisions/0006-squashed-migrations.md); data migrations that only change existing rows are
left out, as a new database has none.
"""

import django.db.models.deletion
import openward.commitments.models
from django.conf import settings
from django.db import migrations, models
from openward.core.migration_operations import CreateModels


class Migration(migrations.Migration):

    replaces = [
        ('commitments', '0001_commitments_and_reviews'),
        ('commitments', '0002_front_counter_and_replies_measures'),
        ('commitments', '0003_review_evidence_files'),
    ]

    initial = True

    dependencies = [
        ('areas', '0001_squashed_0003_station_hours'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='Commitment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.TextField(help_text='What was promised, in the owner\'s words, e.g. "Burglary will come down".')),
                    ('source', models.CharField(help_text='Where it was said (document, meeting, date).', max_length=300)),
                    ('source_url', models.URLField(blank=True)),
                    ('owner', models.CharField(help_text='Who made it, e.g. Central West BCU.', max_length=200)),
                    ('owner_kind', models.CharField(choices=[('force', 'Police force'), ('borough', 'Borough (BCU or council)'), ('panel', 'Ward panel or Safer Neighbourhood Board')], max_length=10)),
                    ('made_on', models.DateField()),
                    ('measure', models.CharField(choices=[('crime', 'From crime data'), ('front-counter', 'From front-counter opening hours (open 24 hours, 7 days)'), ('replies', 'From replies answered within 7 days'), ('evidence', 'From evidence given at each review')], max_length=16)),
                    ('every_borough', models.BooleanField(default=False, help_text="Front counters: measured in every borough of the borough's force, not this one only.")),
                    ('categories', models.JSONField(blank=True, default=list, help_text='police.uk category slugs (crime measure).')),
                    ('direction', models.CharField(blank=True, choices=[('down', 'Down'), ('up', 'Up')], max_length=4)),
                    ('target_percent', models.FloatField(blank=True, help_text='Crime: the change promised, in %, e.g. 10 for down 10% (empty: any change). Replies: the share promised an answer within 7 days, in % (empty: every reply).', null=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('borough', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.borough')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('ward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.ward')),
                ],
                options={
                    'ordering': ['-made_on', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='Review',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reviewed_on', models.DateField()),
                    ('status', models.CharField(choices=[('on-track', 'On track'), ('not-on-track', 'Not on track'), ('cant-tell', "Can't tell yet")], max_length=12)),
                    ('reason', models.CharField(max_length=1000)),
                    ('figures', models.JSONField(blank=True, default=dict)),
                    ('evidence_source', models.CharField(blank=True, max_length=300)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('commitment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='commitments.commitment')),
                    ('reviewed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'ordering': ['-reviewed_on', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='Evidence',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(max_length=200, upload_to=openward.commitments.models.evidence_path)),
                    ('file_name', models.CharField(help_text='The name it was uploaded with, for downloads.', max_length=150)),
                    ('content_type', models.CharField(max_length=40)),
                    ('size', models.PositiveIntegerField()),
                    ('sha256', models.CharField(max_length=64)),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='commitments.review')),
                ],
                options={
                    'ordering': ['pk'],
                },
            ),
        ]),
    ]
