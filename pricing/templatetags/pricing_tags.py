from __future__ import annotations

from django import template
from django_countries import countries

register = template.Library()


@register.inclusion_tag("includes/_country_form.html", takes_context=True)
def shipping_country_form(context) -> dict:
    """The country selector: a plain GET form, so it works without JavaScript."""
    return {"shipping_country": context["request"].shipping_country, "countries": countries}
