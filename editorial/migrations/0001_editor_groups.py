"""The two editor groups: what each may do in the admin.

Neither may manage users or delete books, authors or publishers. Catalog editors may delete
table-of-contents entries and contributions (correcting a book needs that); pricing managers
may delete a set price, which makes the price derived again.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOG_MODELS = ["book", "author", "publisher", "subject", "format", "tocentry", "contribution"]
PRICING_MODELS = ["market", "price", "exchangerate", "countryrule"]

GROUPS = {
    "Catalog editors": [
        *(f"catalog.{action}_{model}" for model in CATALOG_MODELS for action in ("add", "change", "view")),
        "catalog.delete_tocentry",
        "catalog.delete_contribution",
        *(f"pricing.view_{model}" for model in PRICING_MODELS),
    ],
    "Pricing managers": [
        *(f"pricing.{action}_{model}" for model in PRICING_MODELS for action in ("add", "change", "view")),
        "pricing.delete_price",
        *(f"catalog.view_{model}" for model in CATALOG_MODELS),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_label in ("catalog", "pricing"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # the migration state's app stub lacks it
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0001_initial"),
        ("pricing", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
