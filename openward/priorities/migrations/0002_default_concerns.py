from django.db import migrations


def load(apps, schema_editor):
    from openward.priorities.vocabulary import CONCERNS

    Concern = apps.get_model("priorities", "Concern")
    for position, (slug, name, description, synonyms, categories) in enumerate(CONCERNS):
        Concern.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "synonyms": synonyms,
                "crime_categories": categories,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("priorities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
