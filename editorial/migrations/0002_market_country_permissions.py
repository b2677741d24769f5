"""Editor groups: a market's countries replace country rules.

Pricing managers add, change and remove countries in markets (removing one is an edit of the
market's territory, not a loss of history); catalog editors see them. Nobody keeps permissions
on the country rules that are going away.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MARKET_COUNTRY = {
    "Catalog editors": ["view"],
    "Pricing managers": ["add", "change", "delete", "view"],
}
COUNTRY_RULE = {
    "Catalog editors": ["view"],
    "Pricing managers": ["add", "change", "view"],
}


def _permissions(apps, model: str, actions: list[str]):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label="pricing", codename=f"{action}_{model}") for action in actions
    ]


def _swap(apps, *, grant: tuple[str, dict], revoke: tuple[str, dict]) -> None:
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("pricing")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=MARKET_COUNTRY):
        granted_model, granted = grant
        revoked_model, revoked = revoke
        group.permissions.add(*_permissions(apps, granted_model, granted[group.name]))
        group.permissions.remove(*_permissions(apps, revoked_model, revoked[group.name]))


def grant_market_country(apps, schema_editor):
    _swap(apps, grant=("marketcountry", MARKET_COUNTRY), revoke=("countryrule", COUNTRY_RULE))


def grant_country_rule(apps, schema_editor):
    _swap(apps, grant=("countryrule", COUNTRY_RULE), revoke=("marketcountry", MARKET_COUNTRY))


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_editor_groups"),
        ("pricing", "0003_marketcountry"),
    ]

    operations = [migrations.RunPython(grant_market_country, grant_country_rule)]
