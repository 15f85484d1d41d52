"""Squashed: every migration of notifications up to 0003_merge_20261202_0200, for a new database.

A database that has applied any of the migrations this replaces goes on through them instead. The
app's tables are created together in their final form (openward.core.migration_operations,
docs/decisions/0006-squashed-migrations.md); data migrations that only change existing rows are
left out, as a new database has none.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from openward.core.migration_operations import CreateModels


class Migration(migrations.Migration):

    replaces = [
        ('notifications', '0001_initial'),
        ('notifications', '0002_notice_detail'),
        ('notifications', '0002_subscription_review_after_boundary_change'),
        ('notifications', '0003_merge_20261202_0200'),
    ]

    initial = True

    dependencies = [
        ('areas', '0001_squashed_0003_station_hours'),
        ('engagement', '0001_squashed_0006_topics_for_monitoring_group_meetings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='Notice',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('bulletin', 'Bulletin'), ('event', 'Event notice'), ('reminder', 'Event reminder'), ('place_offer', 'Place offered'), ('answer', 'Answer to a reply'), ('digest', 'Weekly digest')], max_length=16)),
                    ('object_id', models.PositiveBigIntegerField(blank=True, null=True)),
                    ('key', models.CharField(help_text='Natural key: one notice per thing to tell.', max_length=120, unique=True)),
                    ('subject', models.CharField(max_length=250)),
                    ('detail', models.TextField(blank=True, help_text='What changed, for a notice about a change or a cancellation.')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('fanned_out_at', models.DateTimeField(blank=True, null=True)),
                ],
            ),
            migrations.CreateModel(
                name='Subscriber',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, unique=True)),
                    ('frequency', models.CharField(choices=[('immediate', 'As soon as they are published'), ('weekly', 'A weekly digest')], default='immediate', max_length=12)),
                    ('unsubscribed_at', models.DateTimeField(blank=True, null=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='subscriber', to=settings.AUTH_USER_MODEL)),
                ],
            ),
            migrations.CreateModel(
                name='Delivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Claimed by a worker'), ('retry', 'Failed, will be retried'), ('sent', 'Sent'), ('failed', 'Given up'), ('skipped', 'Not sent (unsubscribed)')], db_index=True, default='pending', max_length=10)),
                    ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ('claim', models.CharField(blank=True, db_index=True, max_length=32)),
                    ('claimed_at', models.DateTimeField(blank=True, null=True)),
                    ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                    ('sent_at', models.DateTimeField(blank=True, null=True)),
                    ('last_error', models.CharField(blank=True, max_length=500)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.notice')),
                    ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.subscriber')),
                ],
                options={
                    'indexes': [models.Index(fields=['notice', 'status'], name='notificatio_notice__1f4588_idx')],
                    'constraints': [models.UniqueConstraint(fields=('notice', 'subscriber'), name='one_delivery_per_recipient')],
                },
            ),
            migrations.CreateModel(
                name='Subscription',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('needs_review', models.BooleanField(default=False)),
                    ('review_reason', models.CharField(blank=True, max_length=300)),
                    ('remapped_from', models.CharField(blank=True, help_text="The old ward's code, after a re-map.", max_length=9)),
                    ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to='notifications.subscriber')),
                    ('topics', models.ManyToManyField(blank=True, related_name='+', to='engagement.topic')),
                    ('ward', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.ward')),
                ],
                options={
                    'constraints': [models.UniqueConstraint(fields=('subscriber', 'ward'), name='one_subscription_per_ward')],
                },
            ),
        ]),
    ]
