from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django_countries import countries

from catalog.admin import ISBNSearchMixin
from catalog.models import Book
from editorial.admin import ChangePagePanel, EditorialAdmin, register_change_page_panel
from pricing.models import ExchangeRate, Market, MarketCountry, Price, market_for_country
from pricing.quotes import quotes_in_every_market
from pricing.rules import Source


class SoldToCountryFilter(admin.SimpleListFilter):
    """Which market sells to a country: the one it is in, or the rest of the world."""

    title = "sold to country"
    # Not "country": that query parameter chooses the shipping country on every page.
    parameter_name = "sold_to"
    market_lookup = "pk__in"

    def lookups(self, request, model_admin):
        placed = MarketCountry.objects.order_by("country").values_list("country", flat=True)
        return [(code, countries.name(code)) for code in placed] + [("ROW", "Anywhere else")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        market = Market.objects.filter(is_rest_of_world=True).first() if value == "ROW" else market_for_country(value)
        return queryset.filter(**{self.market_lookup: [market.pk] if market else []})


class PriceSoldToCountryFilter(SoldToCountryFilter):
    market_lookup = "market__in"


class CountrySearchMixin:
    """Search finds countries by name as well as by code: “germany” finds DE."""

    country_lookup = "country"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = search_term.strip().casefold()
        codes = [code for code, name in countries if words and words in name.casefold()]
        if codes:
            results |= queryset.filter(**{f"{self.country_lookup}__in": codes})
            may_have_duplicates = True
        return results, may_have_duplicates


class CountryConflictMixin:
    """A country taken by another market at the same moment is refused like any duplicate.

    Validation checks that a country is in no other market, but another editor can put it there
    between that check and this save; the database's unique constraint then refuses it. The
    admin reruns the form (see `EditorialAdmin.overtaken_errors`), so the editor sees the usual
    message naming the country and the market that has it.
    """

    overtaken_errors = (*EditorialAdmin.overtaken_errors, IntegrityError)

    def overtaken_message(self, error: Exception) -> str:
        if isinstance(error, IntegrityError):
            return (
                "Nothing was saved: the database refused the change, most likely because another editor "
                "saved a conflicting one at the same moment. Check the page and save again."
            )
        return super().overtaken_message(error)


class MarketCountryFormSet(BaseInlineFormSet):
    """A market's countries: each once, and at least one unless it is the rest of the world."""

    def clean(self):
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]
        listed = Counter(form.cleaned_data.get("country") for form in kept)
        for form in kept:
            code = form.cleaned_data.get("country")
            if code and listed[code] > 1:
                form.add_error(
                    "country", f"{countries.name(code)} ({code}) is listed more than once; keep one row for it."
                )
        if not kept and not self.instance.is_rest_of_world:
            raise ValidationError("Add at least one country, or mark this market the rest of the world.")
        super().clean()


class MarketCountryInline(admin.TabularInline):
    model = MarketCountry
    formset = MarketCountryFormSet
    fields = ["country", "print_tax_rate", "ebook_tax_rate", "shipping_cost", "free_shipping_above"]
    extra = 1


@admin.register(Market)
class MarketAdmin(CountryConflictMixin, CountrySearchMixin, EditorialAdmin):
    list_display = [
        "name", "currency", "territory", "is_base", "prices_include_tax", "rounding", "shipping_cost",
        "free_shipping_above",
    ]
    list_filter = ["currency", SoldToCountryFilter, "prices_include_tax", "is_rest_of_world", "rounding"]
    search_fields = ["name", "currency", "market_countries__country"]
    country_lookup = "market_countries__country"
    inlines = [MarketCountryInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Market]:
        return super().get_queryset(request).with_countries()

    @admin.display(description="territory")
    def territory(self, market: Market) -> str:
        return market_territory(market)


def market_territory(market: Market) -> str:
    """Where a market sells, in words: its countries (the first six), or the rest of the world.

    The market's countries must be loaded (`Market.objects.with_countries()`).
    """
    names = [row.country.name for row in market.market_countries.all()]
    listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    if market.is_rest_of_world:
        return "Rest of the world" + (f" (own terms for {listed})" if names else "")
    return listed


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


@admin.register(MarketCountry)
class MarketCountryAdmin(CountryConflictMixin, CountrySearchMixin, EditorialAdmin):
    """Every country in a market, with its tax and shipping; moving one is changing its market."""

    list_display = ["country", "market", "print_tax_rate", "ebook_tax_rate", "shipping_cost", "free_shipping_above"]
    list_filter = ["market"]
    list_select_related = ["market"]
    search_fields = ["country", "market__name"]


def book_price_preview(request: HttpRequest, book: Book) -> dict | None:
    """Each format's price in every market, named by its territory, marked set or derived."""
    if not request.user.has_perm("pricing.view_price"):
        return None
    formats = list(book.formats.all())
    can_set_prices = request.user.has_perm("pricing.add_price")
    rows = []
    for market_quotes in quotes_in_every_market(formats):
        # Named by territory, not by the country the quotes were worked out for: the rest of the
        # world's stand-in is whichever country comes first in the alphabet (Afghanistan).
        territory = market_territory(market_quotes.market)
        for fmt in formats:
            quote = market_quotes.quotes[fmt.pk]
            set_url = ""
            if quote.source is Source.DERIVED and can_set_prices:
                query = urlencode({"format": fmt.pk, "market": market_quotes.market.pk, "amount": quote.amount})
                set_url = f"{reverse('admin:pricing_price_add')}?{query}"
            rows.append(
                {"market": market_quotes.market, "territory": territory, "format": fmt,
                 "quote": quote, "set_url": set_url}
            )
    return {"book": book, "formats": formats, "rows": rows}


# The book's admin page belongs to the catalog; pricing adds its preview as a panel.
register_change_page_panel(
    Book,
    ChangePagePanel(title="Prices (preview)", template_name="pricing/book_price_preview.html", context=book_price_preview),
)
