"""PostgreSQL connections carry the configured time limits; management commands have no statement limit."""

from __future__ import annotations

import json

from tests.bookstore.test_settings import run_manage, run_python

PRINT_OPTIONS = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "bookstore.settings",
    "DJANGO_SECRET_KEY": "time-limits-test-secret-key-long-enough-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "books.example.com",
}


def options(**env: str) -> dict:
    result = run_python(PRINT_OPTIONS, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_web_application_has_a_connect_and_a_statement_limit_by_default():
    assert options(DATABASE_URL="postgres://bookstore@db:5432/bookstore") == {
        "connect_timeout": 2,
        "options": "-c statement_timeout=3000",
    }


def test_the_limits_come_from_the_environment_and_keep_other_options():
    assert options(
        DATABASE_URL="postgres://bookstore@db:5432/bookstore?options=-c%20search_path%3Dshop",
        DATABASE_CONNECT_TIMEOUT="5",
        DATABASE_STATEMENT_TIMEOUT="10",
    ) == {"connect_timeout": 5, "options": "-c search_path=shop -c statement_timeout=10000"}


def test_a_limit_that_is_not_whole_seconds_stops_start_up_naming_it():
    result = run_python(PRINT_OPTIONS, **PRODUCTION, DATABASE_STATEMENT_TIMEOUT="2.5")
    assert result.returncode != 0
    assert "DATABASE_STATEMENT_TIMEOUT must be a whole number of seconds" in result.stderr


def test_management_commands_run_long_statements_unless_a_limit_is_set():
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    url = "postgres://bookstore@db:5432/bookstore"
    result = run_manage("shell", "-c", code, **PRODUCTION, DATABASE_URL=url)
    assert result.stdout.splitlines()[-1] == "-c statement_timeout=0", result.stderr
    result = run_manage("shell", "-c", code, **PRODUCTION, DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT="60")
    assert result.stdout.splitlines()[-1] == "-c statement_timeout=60000", result.stderr
