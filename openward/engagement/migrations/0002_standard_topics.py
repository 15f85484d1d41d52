from django.db import migrations

STANDARD_TOPICS = [
    ("theft", "Theft"),
    ("personal-safety", "Personal safety"),
    ("night-time-economy", "Night-time economy"),
    ("drugs", "Drugs"),
    ("counter-terrorism", "Counter terrorism"),
    ("fraud", "Fraud"),
    ("cycle-safety", "Cycle safety"),
    ("anti-social-behaviour", "Anti-social behaviour"),
    ("other", "Other"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("engagement", "Topic")
    for position, (slug, name) in enumerate(STANDARD_TOPICS, start=1):
        Topic.objects.update_or_create(slug=slug, defaults={"name": name, "is_standard": True, "position": position})


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
