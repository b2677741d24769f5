from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django_countries import countries

from catalog.admin import ISBNSearchMixin
from catalog.models import Book
from editorial.admin import ChangePagePanel, EditorialAdmin, register_change_page_panel
from pricing.models import CountryRule, ExchangeRate, Market, Price, market_for_country
from pricing.quotes import quotes_for
from pricing.rules import Source


class SoldToCountryFilter(admin.SimpleListFilter):
    """Which market sells to a country: the one naming it, or the rest of the world."""

    title = "sold to country"
    # Not "country": that query parameter chooses the shipping country on every page.
    parameter_name = "sold_to"
    market_lookup = "pk__in"

    def lookups(self, request, model_admin):
        named = sorted({code for market in Market.objects.all() for code in market.country_codes})
        return [(code, countries.name(code)) for code in named] + [("ROW", "Anywhere else")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        markets = list(Market.objects.all())
        market = (
            next((m for m in markets if m.is_rest_of_world), None)
            if value == "ROW"
            else market_for_country(markets, value)
        )
        return queryset.filter(**{self.market_lookup: [market.pk] if market else []})


class PriceSoldToCountryFilter(SoldToCountryFilter):
    market_lookup = "market__in"


@admin.register(Market)
class MarketAdmin(EditorialAdmin):
    list_display = [
        "name", "currency", "territory", "is_base", "prices_include_tax", "rounding", "shipping_cost",
        "free_shipping_above",
    ]
    list_filter = ["currency", SoldToCountryFilter, "prices_include_tax", "is_rest_of_world", "rounding"]
    search_fields = ["name", "currency", "countries"]

    @admin.display(description="territory")
    def territory(self, market: Market) -> str:
        if market.is_rest_of_world:
            return "Rest of the world"
        names = [country.name for country in market.countries]
        return ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")


class CurrencyFilter(admin.SimpleListFilter):
    title = "currency"
    parameter_name = "currency"

    def lookups(self, request, model_admin):
        return [(code, code) for code in Market.objects.order_by("currency").values_list("currency", flat=True).distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(market__currency=self.value()) if self.value() else queryset


@admin.register(Price)
class PriceAdmin(ISBNSearchMixin, EditorialAdmin):
    list_display = ["format", "book_title", "market", "amount_display"]
    list_filter = ["market", CurrencyFilter, PriceSoldToCountryFilter, "format__binding"]
    search_fields = ["format__book__title", "format__isbn", "market__name"]
    autocomplete_fields = ["format"]
    list_select_related = ["format__book", "market"]
    isbn_lookup = "format__isbn"

    @admin.display(description="book", ordering="format__book__title")
    def book_title(self, price: Price) -> str:
        return price.format.book.title

    @admin.display(description="amount", ordering="amount")
    def amount_display(self, price: Price) -> str:
        return price.display

    def get_changeform_initial_data(self, request):
        # "Set this price" links from the book's price preview arrive with format, market, amount.
        initial = {key: request.GET.get(key, "") for key in ("format", "market") if request.GET.get(key, "").isdigit()}
        try:
            initial["amount"] = Decimal(request.GET["amount"]) if "amount" in request.GET else None
        except (InvalidOperation, ValueError):
            pass
        return {key: value for key, value in initial.items() if value is not None}


@admin.register(ExchangeRate)
class ExchangeRateAdmin(EditorialAdmin):
    list_display = ["base_currency", "quote_currency", "rate", "valid_from"]
    list_filter = ["base_currency", "quote_currency", "valid_from"]
    search_fields = ["base_currency", "quote_currency"]
    date_hierarchy = "valid_from"


class CountryRuleCountryFilter(admin.SimpleListFilter):
    title = "country"
    # Not "country": that query parameter chooses the shipping country on every page.
    parameter_name = "rule_country"

    def lookups(self, request, model_admin):
        codes = CountryRule.objects.values_list("country", flat=True)
        return [(code, countries.name(code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


@admin.register(CountryRule)
class CountryRuleAdmin(EditorialAdmin):
    list_display = ["country", "market", "print_tax_rate", "ebook_tax_rate", "shipping_cost", "free_shipping_above"]
    list_filter = [CountryRuleCountryFilter]
    search_fields = ["country"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CountryRule]:
        self._markets = list(Market.objects.all())
        return super().get_queryset(request)

    @admin.display(description="market")
    def market(self, rule: CountryRule) -> str:
        market = market_for_country(self._markets, rule.country.code)
        return market.name if market else "Not sold"


def representative_country(market: Market, markets: list[Market]) -> str | None:
    """A country whose quote stands for the market in the preview."""
    if not market.is_rest_of_world:
        return sorted(market.country_codes)[0] if market.countries else None
    named = set().union(*(other.country_codes for other in markets))
    return next((code for code, _name in countries if code not in named), None)


def book_price_preview(request: HttpRequest, book: Book) -> dict | None:
    """Each format's price in every market, for a country standing for the market, marked set or derived."""
    if not request.user.has_perm("pricing.view_price"):
        return None
    formats = list(book.formats.all())
    can_set_prices = request.user.has_perm("pricing.add_price")
    markets = list(Market.objects.all())
    rows = []
    for market in markets:
        country = representative_country(market, markets)
        if country is None:
            continue
        quotes = quotes_for(formats, country)
        for fmt in formats:
            quote = quotes[fmt.pk]
            set_url = ""
            if quote.source is Source.DERIVED and can_set_prices:
                set_url = reverse("admin:pricing_price_add") + "?" + urlencode(
                    {"format": fmt.pk, "market": market.pk, "amount": quote.amount}
                )
            rows.append({"market": market, "country": countries.name(country), "format": fmt, "quote": quote,
                         "set_url": set_url})
    return {"book": book, "formats": formats, "rows": rows}


# The book's admin page belongs to the catalog; pricing adds its preview as a panel.
register_change_page_panel(
    Book,
    ChangePagePanel(title="Prices (preview)", template_name="pricing/book_price_preview.html", context=book_price_preview),
)
