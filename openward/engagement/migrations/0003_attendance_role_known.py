from django.db import migrations, models

KNOWN_ROLES = ["resident", "business", "panel", "officer", "pcso", "councillor", "partner", "other"]


def unknown_roles_become_other(apps, schema_editor):
    """Rows saved with a role nobody defined (they broke every listing of their place) count as "other"."""
    apps.get_model("engagement", "Attendance").objects.exclude(role__in=KNOWN_ROLES).update(role="other")


class Migration(migrations.Migration):
    dependencies = [("engagement", "0002_standard_topics")]

    operations = [
        migrations.RunPython(unknown_roles_become_other, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(condition=models.Q(role__in=KNOWN_ROLES), name="attendance_role_known"),
        ),
    ]
