"""Production is HTTPS only, and `check --deploy` finds nothing to warn about in the README's set-up."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.bookstore.test_settings import ROOT, STRONG_KEY, run_manage, run_python, settings_value

PRODUCTION_KEY = STRONG_KEY
PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": PRODUCTION_KEY, "DJANGO_ALLOWED_HOSTS": "books.example.com"}

# Values for the README's placeholders (`…`): hosts that do not exist, since the check connects to nothing.
PLACEHOLDERS = {
    "DJANGO_SECRET_KEY": PRODUCTION_KEY,
    "DATABASE_URL": "postgres://bookstore@db.invalid:5432/bookstore",
    "REDIS_URL": "redis://cache.invalid:6379/0",
    "STRIPE_SECRET_KEY": "sk_test_placeholder",
    "STRIPE_WEBHOOK_SECRET": "whsec_placeholder",
    "EMAIL_HOST_USER": "bookstore",
    "EMAIL_HOST_PASSWORD": "placeholder",
}


def readme_production_variables() -> dict[str, str]:
    """The variables the README's Production section exports, placeholders filled in."""
    section = (ROOT / "README.md").read_text().split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    variables = {}
    for line in section.splitlines():
        if not line.strip().startswith("export "):
            continue
        for assignment in shlex.split(line.strip(), comments=True)[1:]:
            name, _, value = assignment.partition("=")
            if "…" in value:
                assert name in PLACEHOLDERS, f"the README's {name} has a placeholder this test cannot fill"
                value = PLACEHOLDERS[name]
            variables[name] = value
    return variables


def test_the_readme_production_configuration_passes_the_deploy_check_without_a_warning():
    variables = readme_production_variables()
    assert set(variables) >= {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "BOOKSTORE_BEHIND_PROXY"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **variables)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_without_the_proxy_cookies_are_still_secure_and_only_the_redirect_is_missing():
    variables = {**readme_production_variables(), "BOOKSTORE_BEHIND_PROXY": "0"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **variables)
    assert re.findall(r"\((\w+\.\w+)\)", result.stderr) == ["security.W008"]


@pytest.mark.parametrize(
    "weak_key",
    ["short", "s" * 60, "abcd" * 20, "django-insecure-" + PRODUCTION_KEY],
    ids=["short", "one-character", "four-characters", "django-insecure-prefix"],
)
def test_start_up_refuses_a_weak_secret_key_naming_the_variable(weak_key):
    result = run_manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": weak_key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert "at least 50 characters" in result.stderr and "secrets.token_urlsafe" in result.stderr
    assert weak_key not in result.stderr  # the key itself is never printed
    assert "Traceback" not in result.stderr


def test_development_needs_no_secret_key():
    assert settings_value("bool(settings.SECRET_KEY), settings.DEBUG") == "True True"


def test_hsts_is_a_year_with_subdomains_and_preload_is_a_choice():
    hsts = "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD"
    assert settings_value(hsts, **PRODUCTION) == "31536000 True False"
    assert settings_value(hsts, **PRODUCTION, BOOKSTORE_HSTS_SECONDS="300", BOOKSTORE_HSTS_PRELOAD="1") == (
        "300 True True"
    )
    # The preload reminder is silenced only while preload is off by choice.
    assert settings_value("settings.SILENCED_SYSTEM_CHECKS", **PRODUCTION) == "['security.W021']"
    assert settings_value("settings.SILENCED_SYSTEM_CHECKS", **PRODUCTION, BOOKSTORE_HSTS_PRELOAD="1") == "[]"
    result = run_manage("check", **PRODUCTION, BOOKSTORE_HSTS_SECONDS="a year")
    assert "BOOKSTORE_HSTS_SECONDS must be a whole number of seconds" in result.stderr


def test_production_cookies_are_secure_even_without_the_proxy():
    assert settings_value("settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE", **PRODUCTION) == "True True"
    assert settings_value("settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE") == "False False"


SECURITY_MIDDLEWARE = """
import os
os.environ['DJANGO_SETTINGS_MODULE'] = 'bookstore.settings'
import django
django.setup()
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

middleware = SecurityMiddleware(lambda request: HttpResponse('served'))
for path, scheme in [('/books/x/?country=GB', 'http'), ('/books/x/', 'https'), ('/healthz', 'http'),
                     ('/healthz/', 'http'), ('/readyz', 'http')]:
    request = RequestFactory().get(path, HTTP_HOST='books.example.com', HTTP_X_FORWARDED_PROTO=scheme)
    response = middleware(request)
    location, hsts = response.get('Location', '-'), response.get('Strict-Transport-Security', '-')
    print(path, scheme, response.status_code, location, hsts)
"""


def test_behind_the_proxy_plain_http_is_redirected_except_the_health_endpoints():
    result = run_python(SECURITY_MIDDLEWARE, **PRODUCTION, BOOKSTORE_BEHIND_PROXY="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "/books/x/?country=GB http 301 https://books.example.com/books/x/?country=GB -",
        "/books/x/ https 200 - max-age=31536000; includeSubDomains",
        "/healthz http 200 - -",
        "/healthz/ http 200 - -",
        "/readyz http 200 - -",
    ]
