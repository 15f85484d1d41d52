from django.db import migrations


def load(apps, schema_editor):
    from openward.priorities.vocabulary import load_concerns

    load_concerns(apps.get_model("priorities", "Concern"))


class Migration(migrations.Migration):
    dependencies = [("priorities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
