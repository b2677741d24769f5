"""Catalog editors may upload ONIX imports and see them (not delete them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["add_importjob", "view_importjob"]


def _permissions(apps):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("onix")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [Permission.objects.get(content_type__app_label="onix", codename=codename) for codename in PERMISSIONS]


def grant(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name="Catalog editors"):
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name="Catalog editors"):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_editor_groups"),
        ("onix", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
