"""What a format costs where: markets, prices, exchange rates, tax and shipping.

ONIX 3.0 thinking: a price belongs to a territory (a market's countries, or the rest of the
world) and a currency. A country is in one market at most: one `MarketCountry` row per
country, which also carries the country's tax rates and shipping overrides. Amounts are
Decimal, stored with three places (the most any currency here uses) and validated against the
currency's own minor units.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, FilteredRelation, OuterRef, Q, Subquery
from django_countries.fields import CountryField

from catalog.models import Format
from editorial.models import Versioned
from pricing.money import currency_is_known, format_price, has_more_decimals_than, minor_units
from pricing.rules import ROUNDINGS_NEEDING_CENTS, ConversionRate, CountryTerms, MarketTerms, Rounding

MONEY = {"max_digits": 14, "decimal_places": 3}


def validate_currency(code: str) -> None:
    if not currency_is_known(code):
        raise ValidationError(
            "%(code)s is not an ISO 4217 currency code (three capital letters, e.g. USD, EUR, JPY).",
            code="currency",
            params={"code": code},
        )


def validate_minor_units(field: str, amount: Decimal | None, currency: str, errors: dict) -> None:
    if amount is not None and currency_is_known(currency) and has_more_decimals_than(amount, currency):
        places = minor_units(currency)
        errors[field] = ValidationError(
            "%(currency)s has %(places)s decimal places; %(amount)s has more.",
            code="minor_units",
            params={"currency": currency, "places": places, "amount": amount},
        )


def market_for_country(country: str) -> Market | None:
    """The market a country belongs to: the one it is in, else the rest of the world, else none."""
    return market_serving(list(Market.objects.for_country(country)))


def market_serving(markets: list[Market]) -> Market | None:
    """Of `Market.objects.for_country()`'s markets, the one that sells to the country."""
    holding = next((market for market in markets if market.placement_id is not None), None)
    return holding or next((market for market in markets if market.is_rest_of_world), None)


PLACEMENT_FIELDS = ["id", "print_tax_rate", "ebook_tax_rate", "shipping_cost", "free_shipping_above"]


class MarketQuerySet(models.QuerySet):
    def with_countries(self) -> MarketQuerySet:
        """Each market with its countries loaded, for lists that show territories."""
        return self.prefetch_related("market_countries")

    def for_country(self, country: str) -> MarketQuerySet:
        """Every market a price in `country` can depend on, in one query.

        That is the market the country is in, the rest-of-the-world market and the base market:
        at most three rows however many markets there are, since a country is in one market at
        most. The market holding the country carries that row's terms as `placement_*`
        annotations (see `Market.country_terms()`); the others carry None.
        """
        return self.annotate(
            placement=FilteredRelation("market_countries", condition=Q(market_countries__country=country)),
            **{f"placement_{name}": F(f"placement__{name}") for name in PLACEMENT_FIELDS},
        ).filter(Q(placement_id__isnull=False) | Q(is_rest_of_world=True) | Q(is_base=True))


class Market(Versioned):
    name = models.CharField("name", max_length=100, unique=True, help_text="e.g. “Eurozone”, “United Kingdom”.")
    currency = models.CharField(
        "currency",
        max_length=3,
        validators=[validate_currency],
        help_text="ISO 4217 code, e.g. USD, GBP, EUR, JPY. Amounts use its own decimal places.",
    )
    is_rest_of_world = models.BooleanField(
        "rest of the world",
        default=False,
        help_text="Sells to every country that is in no other market. Countries listed in it are there "
        "only to give them their own tax and shipping terms. At most one market can be this.",
    )
    is_base = models.BooleanField(
        "base market",
        default=False,
        help_text="Prices here are each format's base price: where a format has no price in another "
        "market, it is derived from this one through the exchange rate. At most one market can be this.",
    )
    prices_include_tax = models.BooleanField(
        "prices include tax",
        default=False,
        help_text="Shown prices include each country's tax (as in the EU, UK, Australia, Japan).",
    )
    tax_name = models.CharField("tax name", max_length=30, default="VAT", help_text="As readers know it: VAT, GST, tax.")
    rounding = models.CharField(
        "rounding rule",
        max_length=20,
        choices=[(rule.value, rule.label) for rule in Rounding],
        default=Rounding.UP_TO_95.value,
        help_text="How derived prices are rounded; always upwards.",
    )
    shipping_cost = models.DecimalField(
        "shipping cost",
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="For one print book, in this market's currency. Ebooks never ship.",
    )
    free_shipping_above = models.DecimalField(
        "free shipping from",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Shipping is free when the book's price reaches this amount. Empty: never free.",
    )

    objects = MarketQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_rest_of_world"],
                condition=Q(is_rest_of_world=True),
                name="market_one_rest_of_world",
                violation_error_message="There is already a rest-of-the-world market.",
            ),
            models.UniqueConstraint(
                fields=["is_base"],
                condition=Q(is_base=True),
                name="market_one_base",
                violation_error_message="There is already a base market.",
            ),
            models.CheckConstraint(condition=Q(shipping_cost__gte=0), name="market_shipping_not_negative"),
            models.CheckConstraint(
                condition=Q(free_shipping_above__isnull=True) | Q(free_shipping_above__gte=0),
                name="market_free_shipping_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"

    @property
    def country_codes(self) -> set[str]:
        """The codes of the countries in this market (load them with `with_countries()`)."""
        return {row.country.code for row in self.market_countries.all()}

    def country_terms(self) -> CountryTerms:
        """The terms of the country `for_country()` looked up, if this market holds it; else none."""
        if getattr(self, "placement_id", None) is None:
            return CountryTerms()
        return CountryTerms(
            print_tax_rate=self.placement_print_tax_rate,
            ebook_tax_rate=self.placement_ebook_tax_rate,
            shipping_cost=self.placement_shipping_cost,
            free_shipping_above=self.placement_free_shipping_above,
        )

    def terms(self) -> MarketTerms:
        return MarketTerms(
            name=self.name,
            currency=self.currency,
            prices_include_tax=self.prices_include_tax,
            tax_name=self.tax_name,
            rounding=Rounding(self.rounding),
            shipping_cost=self.shipping_cost,
            free_shipping_above=self.free_shipping_above,
        )

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if (
            currency_is_known(self.currency)
            and Rounding(self.rounding) in ROUNDINGS_NEEDING_CENTS
            and minor_units(self.currency) == 0
        ):
            errors["rounding"] = ValidationError(
                f"{self.currency} has no minor units, so prices cannot end in .95 or .99; "
                "choose “up to the next whole unit” or “up to the next 100”."
            )
        if self.is_base and self.prices_include_tax:
            errors["is_base"] = ValidationError("The base market's prices must exclude tax, so they can be converted.")
        validate_minor_units("shipping_cost", self.shipping_cost, self.currency, errors)
        validate_minor_units("free_shipping_above", self.free_shipping_above, self.currency, errors)
        if errors:
            raise ValidationError(errors)


class Price(Versioned):
    format = models.ForeignKey(
        Format, on_delete=models.CASCADE, related_name="prices", verbose_name="format", help_text="Which edition."
    )
    market = models.ForeignKey(
        Market, on_delete=models.CASCADE, related_name="prices", verbose_name="market", help_text="Where it is sold."
    )
    amount = models.DecimalField(
        "amount",
        **MONEY,
        validators=[MinValueValidator(Decimal(0))],
        help_text="In the market's currency, with no more decimals than it has (JPY none, USD 2, KWD 3). "
        "In a market whose prices include tax, this is the price readers pay.",
    )

    class Meta:
        ordering = ["format", "market"]
        constraints = [
            models.UniqueConstraint(
                fields=["format", "market"],
                name="price_one_per_format_and_market",
                violation_error_message="This format already has a price in this market; change that one.",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="price_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.format} in {self.market.name}: {self.display}"

    @property
    def display(self) -> str:
        return format_price(self.amount, self.market.currency)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.market_id is not None and self.amount is not None:
            validate_minor_units("amount", self.amount, self.market.currency, errors)
        if errors:
            raise ValidationError(errors)


class ExchangeRateQuerySet(models.QuerySet):
    def latest_on(self, base_currency: str, quote_currency: str, on) -> ExchangeRate | None:
        return (
            self.filter(base_currency=base_currency, quote_currency=quote_currency, valid_from__lte=on)
            .order_by("-valid_from")
            .first()
        )

    def latest_on_each(self, base_currency: str, quote_currencies: set[str], on) -> dict[str, ExchangeRate]:
        """The rate in force on `on` from `base_currency` to each of `quote_currencies`, in one query."""
        newest = (
            ExchangeRate.objects.filter(
                base_currency=OuterRef("base_currency"), quote_currency=OuterRef("quote_currency"), valid_from__lte=on
            )
            .order_by("-valid_from")
            .values("pk")[:1]
        )
        rates = self.filter(base_currency=base_currency, quote_currency__in=quote_currencies, pk=Subquery(newest))
        return {rate.quote_currency: rate for rate in rates}


class ExchangeRate(Versioned):
    base_currency = models.CharField(
        "from", max_length=3, validators=[validate_currency], help_text="The base market's currency, e.g. USD."
    )
    quote_currency = models.CharField(
        "to", max_length=3, validators=[validate_currency], help_text="The market's currency, e.g. EUR."
    )
    rate = models.DecimalField(
        "rate",
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text="How much of the second currency one unit of the first buys, e.g. 0.92.",
    )
    valid_from = models.DateField("valid from", help_text="Used for prices on and after this day, until a newer rate.")

    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        ordering = ["base_currency", "quote_currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["base_currency", "quote_currency", "valid_from"],
                name="exchange_rate_one_per_day",
                violation_error_message="There is already a rate for these currencies from that day.",
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=~Q(base_currency=models.F("quote_currency")), name="exchange_rate_two_currencies"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.base_currency} = {self.rate} {self.quote_currency} from {self.valid_from.isoformat()}"

    def as_rule(self) -> ConversionRate:
        return ConversionRate(
            base_currency=self.base_currency,
            quote_currency=self.quote_currency,
            rate=self.rate,
            valid_from=self.valid_from,
        )

    def clean(self) -> None:
        if self.base_currency and self.base_currency == self.quote_currency:
            raise ValidationError({"quote_currency": "Choose a currency other than the one converted from."})


PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "default": Decimal(0),
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}


class MarketCountry(Versioned):
    """One country in one market, with that country's tax rates and shipping overrides.

    `country` is unique, so the database itself keeps a country in one market at most, whoever
    saves and however many save at once. A country with no row here is sold by the
    rest-of-the-world market, if there is one, at no tax and the market's shipping; a row in the
    rest-of-the-world market places a country there explicitly, with its own terms.
    """

    market = models.ForeignKey(
        Market,
        on_delete=models.CASCADE,
        related_name="market_countries",
        verbose_name="market",
        help_text="The market that sells to this country. A country belongs to one market only.",
    )
    country = CountryField("country", unique=True, help_text="Each country can be in one market only.")
    print_tax_rate = models.DecimalField(
        "print book tax %", **PERCENT, help_text="Tax on printed books in this country, in percent."
    )
    ebook_tax_rate = models.DecimalField("ebook tax %", **PERCENT, help_text="Tax on ebooks, in percent.")
    shipping_cost = models.DecimalField(
        "shipping cost",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Overrides the market's shipping cost for this country, in the market's currency. Empty: the market's.",
    )
    free_shipping_above = models.DecimalField(
        "free shipping from",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Overrides the market's free-shipping threshold for this country. Empty: the market's.",
    )

    class Meta:
        ordering = ["country"]
        verbose_name = "country"
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(print_tax_rate__gte=0, print_tax_rate__lte=100, ebook_tax_rate__gte=0, ebook_tax_rate__lte=100),
                name="market_country_tax_rates_are_percentages",
            ),
            models.CheckConstraint(
                condition=Q(shipping_cost__isnull=True) | Q(shipping_cost__gte=0),
                name="market_country_shipping_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country.name} ({self.country.code})"

    def terms(self) -> CountryTerms:
        return CountryTerms(
            print_tax_rate=self.print_tax_rate,
            ebook_tax_rate=self.ebook_tax_rate,
            shipping_cost=self.shipping_cost,
            free_shipping_above=self.free_shipping_above,
        )

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        market = getattr(self, "market", None)  # None until a form has chosen it
        if market is not None:
            validate_minor_units("shipping_cost", self.shipping_cost, market.currency, errors)
            validate_minor_units("free_shipping_above", self.free_shipping_above, market.currency, errors)
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check) -> ValidationError:
        # Name the country and the market that has it, not just "already exists".
        if tuple(unique_check) == ("country",):
            holder = (
                MarketCountry.objects.filter(country=self.country).exclude(pk=self.pk).select_related("market").first()
            )
            if holder is not None:
                return ValidationError(
                    "%(country)s (%(code)s) is already in %(market)s. A country belongs to one market only.",
                    code="unique",
                    params={"country": holder.country.name, "code": holder.country.code, "market": holder.market.name},
                )
        return super().unique_error_message(model_class, unique_check)
