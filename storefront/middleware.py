"""Attach the shipping country to each request; remember a chosen one; keep shared caches honest."""

from __future__ import annotations

from django.utils.cache import patch_cache_control, patch_vary_headers

from storefront.country import COOKIE_MAX_AGE, COOKIE_NAME, request_headers_consulted, shipping_country


class ShippingCountryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        resolved = shipping_country(request)
        request.shipping_country = resolved
        response = self.get_response(request)
        # A view may choose the country too (the checkout, from the shipping address it was given).
        resolved = request.shipping_country
        if resolved.source == "query" and request.COOKIES.get(COOKIE_NAME) != resolved.code:
            response.set_cookie(
                COOKIE_NAME,
                resolved.code,
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure(),
            )
            # A response that sets a cookie is this visitor's alone: no shared cache may keep it.
            patch_cache_control(response, private=True)
        # Every page shows the country (and the product page its prices), so no shared cache
        # may hand this response to a visitor whose cookie or headers say otherwise. Images
        # and other files do not depend on it and stay cacheable by anyone. A 304 (a cached
        # page's ETag matched) carries the Vary its page would have.
        if response.get("Content-Type", "").startswith("text/html") or response.status_code == 304:
            patch_vary_headers(response, request_headers_consulted(resolved))
        return response
