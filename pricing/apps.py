from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "pricing"
    verbose_name = "Pricing"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from catalog.signals import catalogue_changed
        from pricing.models import ExchangeRate, Market, MarketCountry
        from pricing.quotes import facts_changed

        # Markets, their countries' terms and exchange rates are kept in each process's memory
        # (see pricing.quotes.country_facts); any change to them, however made, forgets that copy.
        # Bulk loads (the demo, an import) announce themselves with catalogue_changed.
        for model in (Market, MarketCountry, ExchangeRate):
            label = model._meta.label
            post_save.connect(facts_changed, sender=model, dispatch_uid=f"pricing-facts-save-{label}")
            post_delete.connect(facts_changed, sender=model, dispatch_uid=f"pricing-facts-delete-{label}")
        catalogue_changed.connect(facts_changed, dispatch_uid="pricing-facts-bulk")
