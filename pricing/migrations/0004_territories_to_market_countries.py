"""Move territories and country rules into MarketCountry rows, and back.

Forwards, every country resolves as before and keeps its terms:

- a country a market names gets a row in that market, with its country rule's tax and shipping
  terms (no rule: 0 % tax and the market's shipping, which is what no rule meant);
- a country rule for a country no market names (it was sold by the rest-of-the-world market,
  with those terms) gets a row in the rest-of-the-world market;
- a country two markets named (the race a unique constraint now closes) goes to the one that
  sold it: the first by name, as `market_for_country()` chose. It is reported.

A country rule for a country no market names, when there is no rest-of-the-world market, has
nowhere to go: the migration stops and says which countries, so nothing is lost silently.

Backwards, a row in a named market puts the country back in that market's list, and every row
whose terms differ from the defaults becomes a country rule again (a rule of 0 % with no
overrides means the same as no rule, so none is made for it).

The editor groups' permissions follow: pricing managers add, change and remove countries in
markets (removing one is an edit of the market's territory), catalog editors see them, and
nobody keeps permissions on the country rules that are going away.
"""

from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

TERMS = ("print_tax_rate", "ebook_tax_rate", "shipping_cost", "free_shipping_above")
DEFAULT_TERMS = {"print_tax_rate": Decimal(0), "ebook_tax_rate": Decimal(0), "shipping_cost": None, "free_shipping_above": None}


def terms_of(row) -> dict:
    return {name: getattr(row, name) for name in TERMS}


def territories_to_market_countries(apps, schema_editor):
    Market = apps.get_model("pricing", "Market")
    CountryRule = apps.get_model("pricing", "CountryRule")
    MarketCountry = apps.get_model("pricing", "MarketCountry")

    markets = list(Market.objects.order_by("name"))
    rest_of_world = next((market for market in markets if market.is_rest_of_world), None)
    placed = {}
    for market in markets:
        if market.is_rest_of_world:
            continue
        for country in market.countries:
            holder = placed.setdefault(country.code, market)
            if holder != market:
                print(f"\n  {country.code} was in both {holder.name} and {market.name}; it stays in {holder.name}, which sold it.")
    rules = {rule.country.code: rule for rule in CountryRule.objects.all()}
    unplaced = sorted(set(rules) - set(placed))
    if unplaced and rest_of_world is None:
        raise RuntimeError(
            f"Country rules for {', '.join(unplaced)} name countries no market sells to, and there is no "
            "rest-of-the-world market to keep them in. Add those countries to a market, or delete their "
            "rules, then migrate again."
        )
    placed.update(dict.fromkeys(unplaced, rest_of_world))
    MarketCountry.objects.bulk_create(
        MarketCountry(market=market, country=code, **(terms_of(rules[code]) if code in rules else DEFAULT_TERMS))
        for code, market in sorted(placed.items())
    )


def market_countries_to_territories(apps, schema_editor):
    Market = apps.get_model("pricing", "Market")
    CountryRule = apps.get_model("pricing", "CountryRule")
    MarketCountry = apps.get_model("pricing", "MarketCountry")

    rows = list(MarketCountry.objects.select_related("market").order_by("country"))
    for market in Market.objects.filter(is_rest_of_world=False):
        market.countries = [row.country.code for row in rows if row.market_id == market.pk]
        market.save(update_fields=["countries"])
    CountryRule.objects.bulk_create(
        CountryRule(country=row.country.code, **terms_of(row)) for row in rows if terms_of(row) != DEFAULT_TERMS
    )


# The editor groups (created by editorial's first migration) and their permissions.

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

    operations = [
        migrations.RunPython(territories_to_market_countries, market_countries_to_territories),
        migrations.RunPython(grant_market_country, grant_country_rule),
    ]
