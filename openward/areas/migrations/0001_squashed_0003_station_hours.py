"""Squashed: every migration of areas up to 0003_station_hours, for a new database.

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
        ('areas', '0001_initial'),
        ('areas', '0002_neighbourhood_boundary'),
        ('areas', '0003_station_hours'),
    ]

    initial = True

    dependencies = [
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='Force',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('slug', models.SlugField(max_length=64, unique=True)),
                    ('name', models.CharField(max_length=200)),
                    ('description', models.TextField(blank=True, help_text='May contain HTML, as on police.uk.')),
                    ('url', models.URLField(blank=True)),
                    ('telephone', models.CharField(blank=True, max_length=50)),
                    ('engagement_methods', models.JSONField(blank=True, default=list)),
                    ('listed', models.BooleanField(default=True)),
                    ('gss_code', models.CharField(blank=True, help_text='Police force area code (E23…).', max_length=9)),
                ],
                options={
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='Postcode',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('compact', models.CharField(help_text='No spaces, upper case: "SW1A1AA".', max_length=7, unique=True)),
                    ('positional_quality', models.PositiveSmallIntegerField(blank=True, null=True)),
                    ('easting', models.IntegerField(blank=True, null=True)),
                    ('northing', models.IntegerField(blank=True, null=True)),
                    ('latitude', models.FloatField(blank=True, null=True)),
                    ('longitude', models.FloatField(blank=True, null=True)),
                    ('ward_code', models.CharField(blank=True, db_index=True, max_length=9)),
                    ('borough_code', models.CharField(blank=True, db_index=True, max_length=9)),
                    ('lsoa11_code', models.CharField(blank=True, max_length=9)),
                    ('lsoa21_code', models.CharField(blank=True, max_length=9)),
                    ('introduced', models.DateField(blank=True, null=True)),
                    ('terminated', models.DateField(blank=True, null=True)),
                    ('source', models.CharField(blank=True, max_length=80)),
                    ('is_demo', models.BooleanField(default=False)),
                ],
            ),
            migrations.CreateModel(
                name='WardGeneration',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('slug', models.SlugField(help_text='e.g. "2014", "2018", "2022".', max_length=40, unique=True)),
                    ('name', models.CharField(max_length=200)),
                    ('valid_from', models.DateField(blank=True, null=True)),
                    ('valid_to', models.DateField(blank=True, null=True)),
                ],
                options={
                    'ordering': ['valid_from', 'slug'],
                },
            ),
            migrations.CreateModel(
                name='Borough',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('boundary', models.TextField(blank=True, help_text='GeoJSON geometry, WGS84.')),
                    ('min_lat', models.FloatField(blank=True, db_index=True, null=True)),
                    ('max_lat', models.FloatField(blank=True, null=True)),
                    ('min_lng', models.FloatField(blank=True, null=True)),
                    ('max_lng', models.FloatField(blank=True, null=True)),
                    ('centre_lat', models.FloatField(blank=True, null=True)),
                    ('centre_lng', models.FloatField(blank=True, null=True)),
                    ('valid_from', models.DateField(blank=True, null=True)),
                    ('valid_to', models.DateField(blank=True, help_text='Last day valid; empty while current.', null=True)),
                    ('is_demo', models.BooleanField(default=False, help_text='Generated demo data, not official.')),
                    ('gss_code', models.CharField(max_length=9, unique=True)),
                    ('name', models.CharField(max_length=200)),
                    ('slug', models.SlugField(max_length=200, unique=True)),
                    ('force', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='boroughs', to='areas.force')),
                ],
                options={
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='Lsoa',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('boundary', models.TextField(blank=True, help_text='GeoJSON geometry, WGS84.')),
                    ('min_lat', models.FloatField(blank=True, db_index=True, null=True)),
                    ('max_lat', models.FloatField(blank=True, null=True)),
                    ('min_lng', models.FloatField(blank=True, null=True)),
                    ('max_lng', models.FloatField(blank=True, null=True)),
                    ('centre_lat', models.FloatField(blank=True, null=True)),
                    ('centre_lng', models.FloatField(blank=True, null=True)),
                    ('gss_code', models.CharField(max_length=9)),
                    ('name', models.CharField(blank=True, max_length=200)),
                    ('census_year', models.PositiveSmallIntegerField(choices=[(2011, '2011'), (2021, '2021')])),
                    ('borough_code', models.CharField(blank=True, db_index=True, max_length=9)),
                    ('population', models.PositiveIntegerField(blank=True, null=True)),
                ],
                options={
                    'ordering': ['gss_code'],
                    'constraints': [models.UniqueConstraint(fields=('gss_code', 'census_year'), name='lsoa_code_per_census')],
                },
            ),
            migrations.CreateModel(
                name='Neighbourhood',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('valid_from', models.DateField(blank=True, null=True)),
                    ('valid_to', models.DateField(blank=True, help_text='Last day valid; empty while current.', null=True)),
                    ('is_demo', models.BooleanField(default=False, help_text='Generated demo data, not official.')),
                    ('code', models.CharField(help_text='police.uk neighbourhood id.', max_length=64)),
                    ('name', models.CharField(max_length=200)),
                    ('description', models.TextField(blank=True)),
                    ('url_force', models.URLField(blank=True)),
                    ('contact_details', models.JSONField(blank=True, default=dict)),
                    ('links', models.JSONField(blank=True, default=list)),
                    ('boundary', models.TextField(blank=True, help_text="GeoJSON geometry (WGS84) of its own; empty when its boundary is its ward's.")),
                    ('force', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='neighbourhoods', to='areas.force')),
                ],
                options={
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='Station',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200)),
                    ('kind', models.CharField(default='station', help_text='police.uk location type, e.g. "station".', max_length=40)),
                    ('address', models.TextField(blank=True)),
                    ('postcode', models.CharField(blank=True, max_length=8)),
                    ('latitude', models.FloatField(blank=True, null=True)),
                    ('longitude', models.FloatField(blank=True, null=True)),
                    ('description', models.TextField(blank=True)),
                    ('has_front_counter', models.BooleanField(default=False)),
                    ('opening_hours', models.JSONField(blank=True, default=dict, help_text='{"mon": [["08:00", "20:00"]], …}; empty list = closed.')),
                    ('is_demo', models.BooleanField(default=False)),
                    ('force', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stations', to='areas.force')),
                    ('neighbourhoods', models.ManyToManyField(blank=True, related_name='stations', to='areas.neighbourhood')),
                ],
                options={
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='TeamMember',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200)),
                    ('rank', models.CharField(max_length=100)),
                    ('bio', models.TextField(blank=True, help_text='May contain HTML, as on police.uk.')),
                    ('contact_details', models.JSONField(blank=True, default=dict)),
                    ('position', models.PositiveSmallIntegerField(default=0)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('force', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='people', to='areas.force')),
                    ('neighbourhood', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='people', to='areas.neighbourhood')),
                ],
                options={
                    'ordering': ['position', 'name'],
                },
            ),
            migrations.CreateModel(
                name='Ward',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('boundary', models.TextField(blank=True, help_text='GeoJSON geometry, WGS84.')),
                    ('min_lat', models.FloatField(blank=True, db_index=True, null=True)),
                    ('max_lat', models.FloatField(blank=True, null=True)),
                    ('min_lng', models.FloatField(blank=True, null=True)),
                    ('max_lng', models.FloatField(blank=True, null=True)),
                    ('centre_lat', models.FloatField(blank=True, null=True)),
                    ('centre_lng', models.FloatField(blank=True, null=True)),
                    ('valid_from', models.DateField(blank=True, null=True)),
                    ('valid_to', models.DateField(blank=True, help_text='Last day valid; empty while current.', null=True)),
                    ('is_demo', models.BooleanField(default=False, help_text='Generated demo data, not official.')),
                    ('gss_code', models.CharField(db_index=True, max_length=9)),
                    ('name', models.CharField(max_length=200)),
                    ('slug', models.SlugField(max_length=220)),
                    ('population', models.PositiveIntegerField(blank=True, help_text='Census usual residents, if known.', null=True)),
                    ('borough', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='areas.borough')),
                    ('neighbours', models.ManyToManyField(blank=True, to='areas.ward')),
                    ('generation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='areas.wardgeneration')),
                ],
                options={
                    'ordering': ['name'],
                },
            ),
            migrations.AddField(
                model_name='neighbourhood',
                name='ward',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='neighbourhoods', to='areas.ward'),
            ),
            migrations.CreateModel(
                name='LsoaWard',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('source', models.CharField(blank=True, max_length=200)),
                    ('share', models.FloatField(blank=True, help_text='Share of the LSOA in the ward, if known.', null=True)),
                    ('lsoa', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ward_links', to='areas.lsoa')),
                    ('ward', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lsoa_links', to='areas.ward')),
                ],
            ),
            migrations.CreateModel(
                name='Cluster',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('slug', models.SlugField(max_length=120, unique=True)),
                    ('name', models.CharField(max_length=200)),
                    ('description', models.TextField(blank=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('borough', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='clusters', to='areas.borough')),
                    ('wards', models.ManyToManyField(blank=True, related_name='clusters', to='areas.ward')),
                ],
                options={
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='StationHours',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('valid_from', models.DateField()),
                    ('has_front_counter', models.BooleanField(default=False)),
                    ('opening_hours', models.JSONField(blank=True, default=dict)),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('station', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='hours_history', to='areas.station')),
                ],
                options={
                    'ordering': ['station', 'valid_from'],
                    'constraints': [models.UniqueConstraint(fields=('station', 'valid_from'), name='one_hours_row_per_station_day')],
                },
            ),
            migrations.AddConstraint(
                model_name='neighbourhood',
                constraint=models.UniqueConstraint(fields=('force', 'code'), name='neighbourhood_code_per_force'),
            ),
            migrations.AddConstraint(
                model_name='lsoaward',
                constraint=models.UniqueConstraint(fields=('lsoa', 'ward'), name='lsoa_ward_once'),
            ),
            migrations.AddConstraint(
                model_name='ward',
                constraint=models.UniqueConstraint(fields=('gss_code', 'generation'), name='ward_code_per_generation'),
            ),
        ]),
    ]
