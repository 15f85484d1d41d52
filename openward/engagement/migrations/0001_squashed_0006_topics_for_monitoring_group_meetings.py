"""Squashed: every migration of engagement up to 0006_topics_for_monitoring_group_meetings, for a new database.

A database that has applied any of the migrations this replaces goes on through them instead. The
app's tables are created together in their final form (openward.core.migration_operations,
docs/decisions/0006-squashed-migrations.md); data migrations that only change existing rows are
left out, as a new database has none.
"""

import django.db.models.deletion
import django.utils.timezone
import openward.engagement.models.events
import uuid
from django.conf import settings
from django.db import migrations, models
from openward.core.migration_operations import CreateModels
from openward.engagement.vocabulary import ensure_standard_topics


def add_topics(apps, schema_editor):
    # The standard topics (0002), with the monitoring group's and which meetings each is offered to (0006).
    ensure_standard_topics(apps.get_model("engagement", "Topic"))


class Migration(migrations.Migration):

    replaces = [
        ('engagement', '0001_initial'),
        ('engagement', '0002_standard_topics'),
        ('engagement', '0003_attendance_role_known'),
        ('engagement', '0004_bulletin_markdown_and_revision'),
        ('engagement', '0005_monitoring_group_meetings'),
        ('engagement', '0006_topics_for_monitoring_group_meetings'),
    ]

    initial = True

    dependencies = [
        ('areas', '0001_squashed_0003_station_hours'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='Action',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('what', models.TextField()),
                    ('owner', models.CharField(help_text='Who does it (a role or a name they agreed to).', max_length=200)),
                    ('due_date', models.DateField(blank=True, null=True)),
                    ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('done', 'Done'), ('dropped', 'Dropped')], default='open', max_length=12)),
                    ('status_note', models.TextField(blank=True)),
                    ('priority_id', models.PositiveBigIntegerField(blank=True, db_index=True, null=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('borough', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.borough')),
                    ('cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.cluster')),
                    ('ward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.ward')),
                ],
                options={
                    'ordering': ['id'],
                },
            ),
            migrations.CreateModel(
                name='Bulletin',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200)),
                    ('kind', models.CharField(choices=[('news', 'News'), ('appeal', 'Appeal for information'), ('prevention', 'Crime prevention advice'), ('volunteers', 'Call for volunteers')], default='news', max_length=16)),
                    ('summary', models.CharField(blank=True, max_length=300)),
                    ('body_html', models.TextField(help_text='Sanitised HTML.')),
                    ('body_markdown', models.TextField(blank=True, help_text='What the author wrote, when written in the editor.')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='draft', max_length=12)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('published_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                    ('revised_at', models.DateTimeField(blank=True, null=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ('boroughs', models.ManyToManyField(blank=True, related_name='+', to='areas.borough')),
                    ('clusters', models.ManyToManyField(blank=True, related_name='+', to='areas.cluster')),
                    ('wards', models.ManyToManyField(blank=True, related_name='+', to='areas.ward')),
                ],
                options={
                    'ordering': ['-published_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='BulletinImage',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('image', models.FileField(upload_to='bulletins/%Y/%m/')),
                    ('content_type', models.CharField(max_length=40)),
                    ('alt_text', models.CharField(help_text='Describe the image for people who cannot see it.', max_length=300)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('bulletin', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='images', to='engagement.bulletin')),
                ],
            ),
            migrations.CreateModel(
                name='CalendarFeed',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('token', models.CharField(default=openward.engagement.models.events.new_token, max_length=64, unique=True)),
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed', to=settings.AUTH_USER_MODEL)),
                ],
            ),
            migrations.CreateModel(
                name='Event',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('uid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                    ('title', models.CharField(max_length=200)),
                    ('kind', models.CharField(choices=[('ward_panel', 'Ward panel meeting'), ('cluster_panel', 'Cluster panel meeting'), ('snb', 'Safer Neighbourhood Board'), ('street_briefing', 'Street briefing'), ('surgery', 'Surgery'), ('stall', 'Crime prevention stall'), ('monitoring_group', 'Stop and search monitoring group meeting')], max_length=24)),
                    ('mode', models.CharField(choices=[('in_person', 'In person'), ('online', 'Online'), ('hybrid', 'In person and online')], default='in_person', max_length=12)),
                    ('description', models.TextField(blank=True)),
                    ('address', models.CharField(blank=True, max_length=300)),
                    ('online_link', models.URLField(blank=True, help_text='Shown only to people registered.')),
                    ('starts_at', models.DateTimeField(db_index=True)),
                    ('ends_at', models.DateTimeField(blank=True, null=True)),
                    ('capacity', models.PositiveIntegerField(blank=True, help_text='Empty: no limit.', null=True)),
                    ('contact_details', models.JSONField(blank=True, default=dict)),
                    ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled')], default='scheduled', max_length=12)),
                    ('cancelled_reason', models.CharField(blank=True, max_length=300)),
                    ('reminder_sent_at', models.DateTimeField(blank=True, null=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('borough', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.borough')),
                    ('cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.cluster')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ('ward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.ward')),
                ],
                options={
                    'ordering': ['starts_at'],
                },
            ),
            migrations.CreateModel(
                name='AgendaItem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('position', models.PositiveSmallIntegerField(default=0)),
                    ('title', models.CharField(max_length=300)),
                    ('notes', models.TextField(blank=True)),
                    ('carried_action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='engagement.action')),
                    ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agenda', to='engagement.event')),
                ],
                options={
                    'ordering': ['position', 'id'],
                },
            ),
            migrations.CreateModel(
                name='MeetingRecord',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=12)),
                    ('summary', models.TextField(blank=True)),
                    ('published_at', models.DateTimeField(blank=True, null=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('event', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='record', to='engagement.event')),
                    ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
            ),
            migrations.CreateModel(
                name='Attendance',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('role', models.CharField(choices=[('resident', 'Resident'), ('business', 'Business or worker'), ('panel', 'Panel member'), ('officer', 'Police officer'), ('pcso', 'PCSO'), ('councillor', 'Councillor'), ('partner', 'Partner agency'), ('other', 'Other')], max_length=16)),
                    ('name', models.CharField(blank=True, max_length=120)),
                    ('agreed_to_be_named', models.BooleanField(default=False)),
                    ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ('record', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='engagement.meetingrecord')),
                ],
            ),
            migrations.AddField(
                model_name='action',
                name='record',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='engagement.meetingrecord'),
            ),
            migrations.CreateModel(
                name='Registration',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('confirmed', 'Place confirmed'), ('waiting', 'On the waiting list'), ('offered', 'Place offered'), ('cancelled', 'Cancelled'), ('expired', 'Offer lapsed')], max_length=12)),
                    ('share_name', models.BooleanField(default=False, help_text='Agreed to be named in the attendance record.')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('waiting_since', models.DateTimeField(blank=True, null=True)),
                    ('offer_token', models.CharField(blank=True, db_index=True, max_length=64)),
                    ('offer_expires_at', models.DateTimeField(blank=True, null=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to='engagement.event')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'ordering': ['created_at', 'id'],
                },
            ),
            migrations.CreateModel(
                name='Reply',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('sender_email', models.EmailField(max_length=254)),
                    ('body', models.TextField()),
                    ('received_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ('answer', models.TextField(blank=True)),
                    ('answered_at', models.DateTimeField(blank=True, null=True)),
                    ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('borough', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.borough')),
                    ('bulletin', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replies', to='engagement.bulletin')),
                    ('cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.cluster')),
                    ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replies', to='engagement.event')),
                    ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ('ward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.ward')),
                ],
                options={
                    'ordering': ['-received_at'],
                },
            ),
            migrations.CreateModel(
                name='Topic',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('slug', models.SlugField(max_length=80, unique=True)),
                    ('name', models.CharField(max_length=120)),
                    ('is_standard', models.BooleanField(default=False)),
                    ('position', models.PositiveSmallIntegerField(default=100)),
                    ('meetings', models.CharField(choices=[('panels', "Ward and cluster panels and the team's other meetings"), ('monitoring', 'Stop and search monitoring group meetings'), ('all', 'Every meeting')], default='panels', max_length=16)),
                    ('added_for_cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='areas.cluster')),
                    ('added_for_ward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='areas.ward')),
                ],
                options={
                    'ordering': ['position', 'name'],
                },
            ),
            migrations.CreateModel(
                name='MinuteEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('summary', models.TextField()),
                    ('record', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='minutes', to='engagement.meetingrecord')),
                    ('topic', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='engagement.topic')),
                ],
                options={
                    'ordering': ['topic__position', 'topic__name'],
                },
            ),
            migrations.AddField(
                model_name='bulletin',
                name='topics',
                field=models.ManyToManyField(blank=True, related_name='+', to='engagement.topic'),
            ),
            migrations.CreateModel(
                name='VolunteerTask',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200)),
                    ('kind', models.CharField(choices=[('weapons_sweep', 'Weapons sweep'), ('leafleting', 'Leafleting'), ('stall', 'Crime prevention stall'), ('property_marking', 'Property marking'), ('door_knocking', 'Door-knocking')], max_length=20)),
                    ('description', models.TextField(blank=True)),
                    ('place', models.CharField(max_length=300)),
                    ('starts_at', models.DateTimeField()),
                    ('ends_at', models.DateTimeField(blank=True, null=True)),
                    ('places', models.PositiveIntegerField()),
                    ('vetting', models.CharField(choices=[('none', 'None'), ('basic', 'Basic DBS check'), ('enhanced', 'Enhanced DBS check'), ('police', 'Police non-police personnel vetting')], default='none', max_length=12)),
                    ('status', models.CharField(choices=[('open', 'Open'), ('cancelled', 'Cancelled'), ('completed', 'Completed')], default='open', max_length=12)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ('ward', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.ward')),
                ],
                options={
                    'ordering': ['starts_at'],
                },
            ),
            migrations.CreateModel(
                name='VolunteerSignup',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('signed_up', 'Signed up'), ('cancelled', 'Cancelled')], default='signed_up', max_length=12)),
                    ('confirms_vetting', models.BooleanField(default=False)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='volunteering', to=settings.AUTH_USER_MODEL)),
                    ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signups', to='engagement.volunteertask')),
                ],
            ),
            migrations.CreateModel(
                name='VolunteerReport',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('volunteers', models.PositiveIntegerField()),
                    ('hours', models.DecimalField(decimal_places=2, max_digits=7)),
                    ('findings', models.TextField()),
                    ('submitted_at', models.DateTimeField(auto_now_add=True)),
                    ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ('task', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='report', to='engagement.volunteertask')),
                ],
            ),
            migrations.AddConstraint(
                model_name='event',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('borough__isnull', True), ('cluster__isnull', True), ('ward__isnull', False)), models.Q(('borough__isnull', True), ('cluster__isnull', False), ('ward__isnull', True)), models.Q(('borough__isnull', False), ('cluster__isnull', True), ('ward__isnull', True)), _connector='OR'), name='event_has_one_place'),
            ),
            migrations.AddConstraint(
                model_name='attendance',
                constraint=models.CheckConstraint(condition=models.Q(('role__in', ['resident', 'business', 'panel', 'officer', 'pcso', 'councillor', 'partner', 'other'])), name='attendance_role_known'),
            ),
            migrations.AddConstraint(
                model_name='registration',
                constraint=models.UniqueConstraint(fields=('event', 'user'), name='one_registration_per_person'),
            ),
            migrations.AddConstraint(
                model_name='reply',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('bulletin__isnull', False), ('event__isnull', True)), models.Q(('bulletin__isnull', True), ('event__isnull', False)), _connector='OR'), name='reply_to_one_item'),
            ),
            migrations.AddConstraint(
                model_name='minuteentry',
                constraint=models.UniqueConstraint(fields=('record', 'topic'), name='one_minute_per_topic'),
            ),
            migrations.AddConstraint(
                model_name='volunteersignup',
                constraint=models.UniqueConstraint(fields=('task', 'user'), name='one_signup_per_person'),
            ),
        ]),
        migrations.RunPython(add_topics, migrations.RunPython.noop),
    ]
