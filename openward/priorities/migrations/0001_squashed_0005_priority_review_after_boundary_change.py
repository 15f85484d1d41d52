"""Squashed: every migration of priorities up to 0005_priority_review_after_boundary_change, for a new database.

A database that has applied any of the migrations this replaces goes on through them instead. The
app's tables are created together in their final form (openward.core.migration_operations,
docs/decisions/0006-squashed-migrations.md); data migrations that only change existing rows are
left out, as a new database has none.
"""

import django.db.models.deletion
import openward.priorities.models
from django.conf import settings
from django.db import migrations, models
from openward.core.migration_operations import CreateModels


TABLES = ("priorities_ballot", "priorities_demographics", "priorities_participation")


def concerns_and_keyed_ballots(apps, schema_editor):
    """The default concerns (0002); on SQLite, the ballot tables rebuilt WITHOUT ROWID (0004), so rows are
    stored in key order and no hidden rowid counts up in the order ballots were cast. One operation, as
    each RunPython renders every model again."""
    from openward.priorities.vocabulary import load_concerns

    load_concerns(apps.get_model("priorities", "Concern"))
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            (create,) = cursor.fetchone()
            if create.upper().rstrip().endswith("WITHOUT ROWID"):
                continue
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL", [table]
            )
            indexes = [row[0] for row in cursor.fetchall()]
            scratch = f"{table}__keyed"
            cursor.execute(create.replace(f'"{table}"', f'"{scratch}"', 1) + " WITHOUT ROWID")
            cursor.execute(f'INSERT INTO "{scratch}" SELECT * FROM "{table}"')
            cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute(f'ALTER TABLE "{scratch}" RENAME TO "{table}"')
            for index in indexes:
                cursor.execute(index)


class Migration(migrations.Migration):

    replaces = [
        ('priorities', '0001_initial'),
        ('priorities', '0002_default_concerns'),
        ('priorities', '0003_priority_meeting'),
        ('priorities', '0004_ballot_secrecy'),
        ('priorities', '0005_priority_review_after_boundary_change'),
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
                name='Concern',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('slug', models.SlugField(max_length=64, unique=True)),
                    ('name', models.CharField(max_length=120)),
                    ('description', models.CharField(blank=True, max_length=300)),
                    ('synonyms', models.JSONField(blank=True, default=list, help_text='Words people use: ["mugging", "phone snatching"].')),
                    ('crime_categories', models.JSONField(blank=True, default=list, help_text='police.uk category slugs this concern maps to; empty if none fits.')),
                    ('is_active', models.BooleanField(default=True)),
                    ('position', models.PositiveSmallIntegerField(default=0)),
                ],
                options={
                    'ordering': ['position', 'name'],
                },
            ),
            migrations.CreateModel(
                name='Consultation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200)),
                    ('question', models.CharField(default='What should your neighbourhood team focus on?', max_length=300)),
                    ('opens_at', models.DateTimeField()),
                    ('closes_at', models.DateTimeField()),
                    ('min_level', models.PositiveSmallIntegerField(choices=[(0, 'Not confirmed'), (1, 'Email confirmed, postcode in the ward'), (2, 'Address verified')], default=1, help_text='Lowest verification level that may vote.')),
                    ('allow_free_text', models.BooleanField(default=True)),
                    ('ask_demographics', models.BooleanField(default=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='areas.cluster')),
                    ('concerns', models.ManyToManyField(related_name='consultations', to='priorities.concern')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('ward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='areas.ward')),
                ],
                options={
                    'ordering': ['-opens_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='Ballot',
                fields=[
                    ('id', models.UUIDField(default=openward.priorities.models._random_id, editable=False, primary_key=True, serialize=False)),
                    ('receipt_hash', models.CharField(editable=False, max_length=64, unique=True)),
                    ('level', models.PositiveSmallIntegerField(choices=[(0, 'Not confirmed'), (1, 'Email confirmed, postcode in the ward'), (2, 'Address verified')])),
                    ('other_text', models.CharField(blank=True, help_text="Anything else, in the voter's words.", max_length=300)),
                    ('first', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='priorities.concern')),
                    ('second', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='priorities.concern')),
                    ('third', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='priorities.concern')),
                    ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ballots', to='priorities.consultation')),
                ],
            ),
            migrations.CreateModel(
                name='Demographics',
                fields=[
                    ('id', models.UUIDField(default=openward.priorities.models._random_id, editable=False, primary_key=True, serialize=False)),
                    ('age_band', models.CharField(blank=True, choices=[('16-29', '16 to 29'), ('30-44', '30 to 44'), ('45-64', '45 to 64'), ('65+', '65 or over')], max_length=8)),
                    ('ethnicity', models.CharField(blank=True, choices=[('white', 'White'), ('mixed', 'Mixed or multiple ethnic groups'), ('asian', 'Asian or Asian British'), ('black', 'Black, African, Caribbean or Black British'), ('other', 'Other ethnic group')], max_length=8)),
                    ('relationship', models.CharField(blank=True, choices=[('live', 'I live here'), ('work', 'I work or study here'), ('business', 'I run a business here'), ('visit', 'I visit often')], max_length=10)),
                    ('ballot', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='demographics', to='priorities.ballot')),
                ],
            ),
            migrations.CreateModel(
                name='Participation',
                fields=[
                    ('voter_key', models.CharField(editable=False, max_length=64, primary_key=True, serialize=False)),
                    ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participations', to='priorities.consultation')),
                ],
            ),
            migrations.CreateModel(
                name='PopulationGroup',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('dimension', models.CharField(choices=[('age', 'Age'), ('ethnicity', 'Ethnic group')], max_length=12)),
                    ('group', models.CharField(max_length=8)),
                    ('count', models.PositiveIntegerField()),
                    ('source', models.CharField(help_text='Where the figure comes from and how it was derived.', max_length=300)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('ward', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='population_groups', to='areas.ward')),
                ],
                options={
                    'ordering': ['ward', 'dimension', 'group'],
                },
            ),
            migrations.CreateModel(
                name='Priority',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('statement', models.CharField(help_text='e.g. "Reduce phone snatching around the station".', max_length=300)),
                    ('crime_categories', models.JSONField(blank=True, default=list, help_text='police.uk categories measured, if any.')),
                    ('meeting_ref', models.CharField(blank=True, help_text='The panel meeting that agreed it, if not in Open Ward: a link or reference.', max_length=300)),
                    ('agreed_on', models.DateField()),
                    ('review_on', models.DateField()),
                    ('status', models.CharField(choices=[('open', 'Open'), ('achieved', 'Achieved'), ('not_achieved', 'Not achieved'), ('carried_over', 'Carried over')], default='open', max_length=16)),
                    ('needs_review', models.BooleanField(default=False)),
                    ('review_reason', models.CharField(blank=True, max_length=300)),
                    ('remapped_from', models.CharField(blank=True, help_text="The old ward's code, after a re-map.", max_length=9)),
                    ('slot', models.PositiveSmallIntegerField(blank=True, null=True)),
                    ('baseline_start', models.DateField(blank=True, null=True)),
                    ('baseline_end', models.DateField(blank=True, null=True)),
                    ('baseline_count', models.PositiveIntegerField(blank=True, null=True)),
                    ('evidence', models.TextField(help_text='Why this priority: the figures behind it, in words.')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('carried_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_into', to='priorities.priority')),
                    ('concern', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='priorities', to='priorities.concern')),
                    ('consultation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='priorities', to='priorities.consultation')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('meeting', models.ForeignKey(blank=True, help_text='The panel meeting, held in Open Ward, that agreed it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='priorities_agreed', to='engagement.event')),
                    ('ward', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='priorities', to='areas.ward')),
                ],
                options={
                    'verbose_name_plural': 'priorities',
                    'ordering': ['-agreed_on', '-id'],
                },
            ),
            migrations.CreateModel(
                name='PriorityAction',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('taken_on', models.DateField()),
                    ('description', models.TextField()),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('priority', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='priorities.priority')),
                    ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'ordering': ['-taken_on', '-id'],
                },
            ),
            migrations.CreateModel(
                name='Review',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reviewed_on', models.DateField()),
                    ('before_start', models.DateField(blank=True, null=True)),
                    ('before_end', models.DateField(blank=True, null=True)),
                    ('before_count', models.PositiveIntegerField(blank=True, null=True)),
                    ('after_start', models.DateField(blank=True, null=True)),
                    ('after_end', models.DateField(blank=True, null=True)),
                    ('after_count', models.PositiveIntegerField(blank=True, null=True)),
                    ('rate_ratio', models.FloatField(blank=True, null=True)),
                    ('ratio_low', models.FloatField(blank=True, null=True)),
                    ('ratio_high', models.FloatField(blank=True, null=True)),
                    ('p_value', models.FloatField(blank=True, null=True)),
                    ('outcome', models.CharField(choices=[('open', 'Open'), ('achieved', 'Achieved'), ('not_achieved', 'Not achieved'), ('carried_over', 'Carried over')], max_length=16)),
                    ('note', models.TextField(blank=True)),
                    ('priority', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='review', to='priorities.priority')),
                    ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
            ),
            migrations.AddConstraint(
                model_name='consultation',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('ward__isnull', False), ('cluster__isnull', True)), models.Q(('ward__isnull', True), ('cluster__isnull', False)), _connector='OR'), name='consultation_for_one_ward_or_cluster'),
            ),
            migrations.AddConstraint(
                model_name='consultation',
                constraint=models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='consultation_closes_after_opening'),
            ),
            migrations.AddConstraint(
                model_name='ballot',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('first', models.F('second')), _negated=True), models.Q(('first', models.F('third')), _negated=True), models.Q(('second', models.F('third')), _negated=True)), name='ballot_ranks_each_concern_once'),
            ),
            migrations.AddConstraint(
                model_name='ballot',
                constraint=models.CheckConstraint(condition=models.Q(('third__isnull', True), ('second__isnull', False), _connector='OR'), name='ballot_ranks_in_order'),
            ),
            migrations.AddConstraint(
                model_name='populationgroup',
                constraint=models.UniqueConstraint(fields=('ward', 'dimension', 'group'), name='population_group_once'),
            ),
            migrations.AddConstraint(
                model_name='priority',
                constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('ward', 'slot'), name='three_open_priority_slots_per_ward'),
            ),
            migrations.AddConstraint(
                model_name='priority',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'open'), ('slot__gte', 1), ('slot__lte', 3)), models.Q(models.Q(('status', 'open'), _negated=True), ('slot__isnull', True)), _connector='OR'), name='open_priorities_hold_a_slot'),
            ),
            migrations.AddConstraint(
                model_name='priority',
                constraint=models.CheckConstraint(condition=models.Q(('review_on__gt', models.F('agreed_on'))), name='review_after_agreement'),
            ),
        ]),
        migrations.RunPython(concerns_and_keyed_ballots),
    ]
