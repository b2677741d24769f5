"""Which country a visitor ships to: the one place a request becomes a country.

Order, as the README says: `?country=` (remembered in a cookie), the cookie, the CDN's country
header (BOOKSTORE_COUNTRY_HEADER), the region of Accept-Language, BOOKSTORE_DEFAULT_COUNTRY.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation.trans_real import parse_accept_lang_header
from django_countries import countries

from catalog.search import clean_query
from storefront.jinja import render

COOKIE_NAME = "shipping_country"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
QUERY_PARAMETER = "country"


@dataclass(frozen=True)
class ShippingCountry:
    code: str
    source: str  # "query", "cookie", "header", "accept-language" or "default"
    rejected: str = ""  # a `?country=` value that is no country, for the notice

    @cached_property  # a page prints it for each format it ships
    def name(self) -> str:
        return countries.name(self.code)


def country_code(value: str | None) -> str | None:
    """`gb`, ` GB ` -> `GB`; anything that is not an ISO 3166-1 alpha-2 code django-countries knows -> None."""
    text = (value or "").strip()
    if not (len(text) == 2 and text.isascii() and text.isalpha()):
        return None  # before upper(): "ın".upper() would be "IN"
    code = text.upper()
    return code if countries.alpha2(code) == code else None


def accept_language_region(header: str) -> str | None:
    """The first country named as a region in Accept-Language: `en-GB,en;q=0.8` -> `GB`."""
    for language, _quality in parse_accept_lang_header(header or ""):
        for subtag in language.split("-")[1:]:
            code = country_code(subtag)
            if code:
                return code
    return None


def default_country() -> str:
    return country_code(settings.BOOKSTORE_DEFAULT_COUNTRY) or "US"


def header_meta_key() -> str | None:
    header = settings.BOOKSTORE_COUNTRY_HEADER
    return "HTTP_" + header.upper().replace("-", "_") if header else None


def shipping_country(request: HttpRequest) -> ShippingCountry:
    rejected = ""
    if QUERY_PARAMETER in request.GET:
        raw = request.GET.get(QUERY_PARAMETER, "")
        code = country_code(raw)
        if code:
            return ShippingCountry(code, "query")
        rejected = raw.strip()[:20]
    code = country_code(request.COOKIES.get(COOKIE_NAME))
    if code:
        return ShippingCountry(code, "cookie", rejected)
    meta_key = header_meta_key()
    code = country_code(request.META.get(meta_key)) if meta_key else None
    if code:
        return ShippingCountry(code, "header", rejected)
    code = accept_language_region(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    if code:
        return ShippingCountry(code, "accept-language", rejected)
    return ShippingCountry(default_country(), "default", rejected)


def request_headers_consulted(resolved: ShippingCountry) -> list[str]:
    """The request headers the answer depended on, for Vary: every source tried before it, and it."""
    consulted = ["Cookie"]
    if resolved.source in {"header", "accept-language", "default"} and settings.BOOKSTORE_COUNTRY_HEADER:
        consulted.append(settings.BOOKSTORE_COUNTRY_HEADER)
    if resolved.source in {"accept-language", "default"}:
        consulted.append("Accept-Language")
    return consulted


@cache
def _country_options() -> SafeString:
    """Every country as an <option>, escaped once per process: the list only changes with a deploy."""
    return format_html_join("", '<option value="{}">{}</option>', ((code, name) for code, name in countries))


@lru_cache(maxsize=512)  # one entry per country chosen: a bounded set, as the list above
def country_options(selected: str) -> SafeString:
    """The country selector's options with `selected` chosen, without a template loop over ~250 countries."""
    options = _country_options()
    chosen = format_html('<option value="{}">', selected)
    return mark_safe(options.replace(chosen, chosen[:-1] + " selected>", 1))  # noqa: S308 - built from escaped parts


# Query parameters the country selector carries over, so changing the country keeps the reader on
# the same results (`q`, `exact` and `page` on search) or the same stretch of a list (`from`).
# Nothing else: a cached page's form may hold only what its cache key holds (`from`; see
# storefront.page_cache), and the search page is not cached.
KEPT_PARAMETERS = ("q", "exact", "page", "from")

COUNTRY_FORM_TEMPLATE = "storefront/includes/_country_form.html"  # a Jinja2 template (storefront.jinja)


def country_form(request: HttpRequest, *, return_to: str = "", compact: bool = False) -> SafeString:
    """The country selector, rendered (`country_form_context` says what it holds)."""
    return render(COUNTRY_FORM_TEMPLATE, country_form_context(request, return_to=return_to, compact=compact))


def country_form_context(request: HttpRequest, *, return_to: str = "", compact: bool = False) -> dict:
    """The country selector's context (`COUNTRY_FORM_TEMPLATE`): a plain GET form, so it works without JavaScript.

    `return_to` names the element the reloaded page scrolls to (the product page's price box), so a
    reader on a phone lands back where they changed the country rather than at the top. `compact`
    is the header's one-line variant, with ids of its own so it can share a page with the other.
    """
    shipping_country = request.shipping_country
    # A GET form replaces the address's query with its fields and keeps the action's fragment.
    action = f"#{return_to}" if return_to else request.path
    # Echoed as typed, less control characters (a NUL has no place in a page) and bounded in length.
    kept = [(name, value) for name in KEPT_PARAMETERS if (value := clean_query(request.GET.get(name)))]
    return {
        "shipping_country": shipping_country,
        "options": country_options(shipping_country.code),
        "action": action,
        "kept": kept,
        "compact": compact,
    }
