from django.conf import settings
from django.core.checks import Error, register

from storefront.country import country_code


@register()
def default_country_is_a_country(app_configs, **kwargs):
    if country_code(settings.BOOKSTORE_DEFAULT_COUNTRY):
        return []
    return [
        Error(
            f"BOOKSTORE_DEFAULT_COUNTRY={settings.BOOKSTORE_DEFAULT_COUNTRY!r} is not an ISO 3166-1 alpha-2 code.",
            hint="Use a two-letter country code such as US, GB or DE.",
            id="storefront.E001",
        )
    ]
