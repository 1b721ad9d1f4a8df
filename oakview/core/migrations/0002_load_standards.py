from django.db import migrations


def forwards(apps, schema_editor):
    from oakview.core.reference import load_standards

    load_standards(apps.get_model("core", "Framework"), apps.get_model("core", "Standard"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
