"""Which country a visitor ships to, and how that keeps caches honest."""

import pytest
from django.test import RequestFactory, override_settings

from storefront.country import accept_language_region, country_code, request_headers_consulted, shipping_country

factory = RequestFactory()


@pytest.mark.parametrize(
    ("raw", "code"),
    [("gb", "GB"), (" De ", "DE"), ("JP", "JP"), ("xx", None), ("GBR", None), ("", None), (None, None), ("Ü1", None),
     ("<s", None), ("ın", None), ("İN", None)],
)
def test_country_codes(raw, code):
    assert country_code(raw) == code


@pytest.mark.parametrize(
    ("header", "code"),
    [("en-GB,en;q=0.9", "GB"), ("de-DE", "DE"), ("fr, fr-CA;q=0.8", "CA"), ("zh-Hant-TW", "TW"), ("en", None),
     ("es-419", None), ("", None), ("*", None), ("en-ZZ,pt-BR;q=0.5", "BR")],
)
def test_accept_language_regions(header, code):
    assert accept_language_region(header) == code


def resolve(path="/", **meta):
    request = factory.get(path, **meta)
    return shipping_country(request)


def test_query_beats_everything():
    resolved = resolve("/?country=gb", HTTP_COOKIE="shipping_country=DE", HTTP_ACCEPT_LANGUAGE="ja-JP")
    assert (resolved.code, resolved.source) == ("GB", "query")


def test_cookie_beats_header_and_language():
    resolved = resolve(HTTP_COOKIE="shipping_country=DE", HTTP_ACCEPT_LANGUAGE="ja-JP")
    assert (resolved.code, resolved.source) == ("DE", "cookie")


@override_settings(BOOKSTORE_COUNTRY_HEADER="CF-IPCountry")
def test_cdn_header_beats_language():
    resolved = resolve(HTTP_CF_IPCOUNTRY="AU", HTTP_ACCEPT_LANGUAGE="ja-JP")
    assert (resolved.code, resolved.source) == ("AU", "header")
    # Cloudflare's XX (unknown) and T1 (Tor) are not countries: the next source decides.
    assert resolve(HTTP_CF_IPCOUNTRY="T1", HTTP_ACCEPT_LANGUAGE="ja-JP").code == "JP"


def test_header_is_ignored_unless_configured():
    assert resolve(HTTP_CF_IPCOUNTRY="AU").source == "default"


def test_language_then_default():
    assert resolve(HTTP_ACCEPT_LANGUAGE="en-GB").code == "GB"
    assert (resolve().code, resolve().source) == ("US", "default")
    with override_settings(BOOKSTORE_DEFAULT_COUNTRY="CA"):
        assert resolve().code == "CA"


def test_an_unknown_code_is_remembered_for_the_notice_and_the_rest_decides():
    resolved = resolve("/?country=ZZ", HTTP_COOKIE="shipping_country=FR")
    assert (resolved.code, resolved.rejected) == ("FR", "ZZ")


def test_vary_names_what_was_consulted():
    with override_settings(BOOKSTORE_COUNTRY_HEADER="CF-IPCountry"):
        assert request_headers_consulted(resolve(HTTP_COOKIE="shipping_country=FR")) == ["Cookie"]
        assert request_headers_consulted(resolve(HTTP_CF_IPCOUNTRY="AU")) == ["Cookie", "CF-IPCountry"]
        assert request_headers_consulted(resolve()) == ["Cookie", "CF-IPCountry", "Accept-Language"]
    assert request_headers_consulted(resolve(HTTP_ACCEPT_LANGUAGE="en-GB")) == ["Cookie", "Accept-Language"]


@pytest.mark.django_db
def test_an_invalid_default_country_fails_the_system_check():
    from django.core import checks

    with override_settings(BOOKSTORE_DEFAULT_COUNTRY="XX"):
        errors = [message for message in checks.run_checks() if message.id == "storefront.E001"]
    assert errors and "XX" in errors[0].msg


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["GB", "BA", "AF", "ZW"])
def test_the_selector_lists_every_country_once_escaped_with_the_chosen_one_selected(client, code):
    import html
    import re

    from django_countries import countries

    from tests.factories import book_with

    content = client.get(f"{book_with().get_absolute_url()}?country={code}").content.decode()
    select = content.split('<select id="shipping-country" name="country">')[1].split("</select>")[0]
    options = re.findall(r'<option value="([A-Z]{2})"( selected)?>([^<]*)</option>', select)
    assert [(value, html.unescape(name)) for value, _, name in options] == [(c, str(n)) for c, n in countries]
    assert [value for value, selected, _ in options if selected] == [code]
    assert "Côte d&#x27;Ivoire" in select  # escaped once, never raw, never twice


def test_countries_are_named_as_english_readers_look_for_them():
    from django_countries import countries

    assert countries.name("US") == "United States"
    assert countries.name("NR") == "Nauru"
    # Alphabetical in the selector: Nauru sits between Namibia and Nepal.
    names = [name for _, name in countries]
    assert names.index("Namibia") < names.index("Nauru") < names.index("Nepal")
