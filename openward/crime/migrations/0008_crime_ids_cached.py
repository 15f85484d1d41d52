"""On PostgreSQL, each session takes crime ids from the sequence a thousand at a time.

An import's COPY asks the sequence for one id a row; with CACHE 1 each asks the shared sequence (a lock
and a buffer write), which cost a fifth of the database's work for the rows (`bench/bench_ingest.py`).
A session's unused ids are skipped when it ends: ids stay unique, with gaps. Nothing reads order or
density into crime ids; the data version moves with each import run (`crime.analytics.cache`).
"""

from django.db import migrations

SEQUENCE = "crime_crime_id_seq"


def cache_ids(apps, schema_editor, cache=1000):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER SEQUENCE {SEQUENCE} CACHE {int(cache)}")


def one_at_a_time(apps, schema_editor):
    cache_ids(apps, schema_editor, cache=1)


class Migration(migrations.Migration):
    dependencies = [("crime", "0007_street_index_police_uk_ids_only")]

    operations = [migrations.RunPython(cache_ids, one_at_a_time)]
