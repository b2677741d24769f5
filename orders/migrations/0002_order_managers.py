"""The "Order managers" group: the order desk, and nothing of the catalogue or its prices.

Catalog editors and pricing managers get no permission on orders, so they do not see them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Order managers"
PERMISSIONS = ["view_order", "change_order", "view_orderline", "view_orderstatuschange", "view_payment"]


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("orders")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="orders", codename__in=PERMISSIONS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orders", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
