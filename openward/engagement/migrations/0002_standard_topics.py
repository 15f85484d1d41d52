from django.db import migrations

from openward.engagement.vocabulary import ensure_standard_topics


def add_topics(apps, schema_editor):
    ensure_standard_topics(apps.get_model("engagement", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
