"""Counts rolled up to wards, boroughs and forces (AreaCount, OutcomeCount by level), filled from the counts
already stored, so a cold borough or force page reads its own few hundred rows."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum


LEVELS = (
    ("ward", "ward_id", ~models.Q(ward_id=None)),
    ("borough", "borough_code", ~models.Q(borough_code="")),
    ("force", "force_id", models.Q()),
)


def roll_up(apps, schema_editor):
    MonthlyCount = apps.get_model("crime", "MonthlyCount")
    OutcomeCount = apps.get_model("crime", "OutcomeCount")
    AreaCount = apps.get_model("crime", "AreaCount")
    fields = ("force_id", "category_id", "month")
    areas = []
    for level, key, present in LEVELS:
        rows = MonthlyCount.objects.filter(present)
        for row in rows.values(key, *fields).annotate(n=Sum("count")).order_by():
            areas.append(AreaCount(level=level, area=str(row[key]), count=row["n"], **{f: row[f] for f in fields}))
    AreaCount.objects.bulk_create(areas, batch_size=5000)
    outcomes = []
    by_ward = OutcomeCount.objects.filter(level="")
    for level, key, present in LEVELS:
        rows = by_ward.filter(present)
        for row in rows.values(key, *fields, "outcome_category").annotate(n=Sum("count")).order_by():
            outcomes.append(
                OutcomeCount(
                    level=level, area=str(row[key]), count=row["n"], outcome_category=row["outcome_category"],
                    **{f: row[f] for f in fields},
                )
            )
    by_ward.delete()
    OutcomeCount.objects.bulk_create(outcomes, batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('crime', '0004_crime_partitions_by_month'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='crime', name='crime_month_point'),
        migrations.RemoveIndex(model_name='crime', name='crime_street_month'),
        migrations.AddIndex(
            model_name='crime',
            index=models.Index(fields=['latitude', 'longitude'], name='crime_point'),
        ),
        migrations.AddIndex(
            model_name='crime',
            index=models.Index(fields=['street_id'], name='crime_street'),
        ),
        migrations.CreateModel(
            name='AreaCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('ward', 'ward'), ('borough', 'borough'), ('force', 'force')], max_length=7)),
                ('area', models.CharField(max_length=20)),
                ('month', models.DateField()),
                ('count', models.PositiveIntegerField()),
                ('category', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='crime.crimecategory')),
                ('force', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.force')),
            ],
            options={
                'indexes': [
                    models.Index(fields=['level', 'area', 'month'], name='area_count_area_month'),
                    models.Index(fields=['force', 'month'], name='area_count_force_month'),
                ],
            },
        ),
        migrations.AddField(
            model_name='outcomecount',
            name='level',
            field=models.CharField(choices=[('ward', 'ward'), ('borough', 'borough'), ('force', 'force')], default='', max_length=7),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='outcomecount',
            name='area',
            field=models.CharField(default='', max_length=20),
            preserve_default=False,
        ),
        migrations.RunPython(roll_up, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name='outcomecount', name='outcome_count_ward_month'),
        migrations.RemoveIndex(model_name='outcomecount', name='outcome_count_borough_month'),
        migrations.RemoveField(model_name='outcomecount', name='ward'),
        migrations.RemoveField(model_name='outcomecount', name='borough_code'),
        migrations.AddIndex(
            model_name='outcomecount',
            index=models.Index(fields=['level', 'area', 'month'], name='outcome_count_area_month'),
        ),
    ]
