# Who took part and what they chose move apart (docs/ballot-secrecy.md).
#
# The keyed voter hash leaves the ballot for its own table, `Participation`; a ballot is found
# again only through a hash of a random receipt the voter holds. Ballots cast before this
# migration get a receipt nobody holds, so they count but can no longer be changed. Not
# reversible: putting the voter hash back on the ballot is exactly what this removes.
#
# On SQLite the three tables are rebuilt WITHOUT ROWID, so rows are stored in key order (a random
# or keyed value) and there is no hidden rowid counting up in the order ballots were cast.

import hashlib
import secrets

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("priorities_ballot", "priorities_demographics", "priorities_participation")


def split_register_from_ballots(apps, schema_editor):
    Ballot = apps.get_model("priorities", "Ballot")
    Participation = apps.get_model("priorities", "Participation")
    for ballot in Ballot.objects.all().iterator():
        Participation.objects.get_or_create(voter_key=ballot.voter_key, consultation_id=ballot.consultation_id)
        ballot.receipt_hash = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
        ballot.save(update_fields=["receipt_hash"])


def without_rowid(apps, schema_editor):
    """Rebuild each table WITHOUT ROWID (SQLite only), keeping its rows and indexes."""
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

    dependencies = [
        ("priorities", "0003_priority_meeting"),
    ]

    operations = [
        migrations.CreateModel(
            name="Participation",
            fields=[
                ("voter_key", models.CharField(editable=False, max_length=64, primary_key=True, serialize=False)),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="priorities.consultation",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="ballot",
            name="receipt_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(split_register_from_ballots),
        migrations.RemoveConstraint(model_name="ballot", name="one_ballot_per_person"),
        migrations.RemoveField(model_name="ballot", name="voter_key"),
        migrations.AlterField(
            model_name="ballot",
            name="receipt_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RunPython(without_rowid),
    ]
