"""Catalog editors keep series, sales rights, review quotes and related titles; pricing managers see them.

Like books, a series is not deleted by editors (its books would lose it); sales rights, review
quotes and related titles are rows of a book or format that correcting it needs to remove.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED = ["series", "salesrights", "reviewquote", "relatedtitle"]
DELETED = ["salesrights", "reviewquote", "relatedtitle"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    catalog = Permission.objects.filter(content_type__app_label="catalog")
    editors, _ = Group.objects.get_or_create(name="Catalog editors")
    editors.permissions.add(
        *catalog.filter(codename__in=[f"{action}_{model}" for model in EDITED for action in ("add", "change", "view")]),
        *catalog.filter(codename__in=[f"delete_{model}" for model in DELETED]),
    )
    managers, _ = Group.objects.get_or_create(name="Pricing managers")
    managers.permissions.add(*catalog.filter(codename__in=[f"view_{model}" for model in EDITED]))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in EDITED for action in ("add", "change", "view", "delete")]
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Catalog editors", "Pricing managers"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_editor_groups"),
        ("catalog", "0012_onix_metadata"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
