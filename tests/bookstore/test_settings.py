"""Settings come from the environment; production refuses to start without its secrets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
# A secret key check --deploy calls strong: 50+ characters, many different ones.
STRONG_KEY = "production-secret-4fX9qL2mZ7vR1kT8wN3bH6yD0cJ5gPaE7u"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "BOOKSTORE_"))
    }
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=60
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run_python(
        f"import sys; sys.argv = ['manage.py', *{list(args)!r}];"
        "import runpy; runpy.run_path('manage.py', run_name='__main__')",
        **env,
    )


def test_debug_off_without_secret_key_and_hosts_refuses_to_start_naming_both():
    result = run_manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_off_names_the_one_variable_missing():
    result = run_manage("check", DJANGO_SECRET_KEY="s" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr
    assert "DJANGO_SECRET_KEY" not in result.stderr.split("must be set")[0]


@pytest.mark.parametrize("variable", ["BOOKSTORE_CDN_MAX_AGE", "DJANGO_CONN_MAX_AGE", "BOOKSTORE_REPLICA_LAG_SECONDS"])
def test_a_number_of_seconds_that_is_not_one_stops_start_up_naming_the_variable(variable):
    result = run_manage("check", DJANGO_DEBUG="1", **{variable: "ten minutes"})
    assert result.returncode != 0
    assert f"{variable} must be a whole number of seconds (0 or more), not 'ten minutes'." in result.stderr
    assert "Traceback" not in result.stderr


def test_the_checkout_rate_limit_comes_from_the_environment():
    limits = "settings.BOOKSTORE_CHECKOUT_RATE_LIMIT, settings.BOOKSTORE_CHECKOUT_RATE_WINDOW"
    assert settings_value(limits) == "30 600"
    assert (
        settings_value(limits, BOOKSTORE_CHECKOUT_RATE_LIMIT="5", BOOKSTORE_CHECKOUT_RATE_WINDOW="90") == "5 90"
    )
    result = run_manage("check", DJANGO_DEBUG="1", BOOKSTORE_CHECKOUT_RATE_LIMIT="lots")
    assert "BOOKSTORE_CHECKOUT_RATE_LIMIT must be a whole number of requests (0 or more), not 'lots'." in result.stderr
    result = run_manage("check", DJANGO_DEBUG="1", BOOKSTORE_CHECKOUT_RATE_WINDOW="0")
    assert "BOOKSTORE_CHECKOUT_RATE_WINDOW must be 1 second or more." in result.stderr
    assert "Traceback" not in result.stderr and result.returncode != 0


@pytest.mark.parametrize("port", ["smtp", "0", "70000"])
def test_an_email_port_that_is_no_port_stops_start_up_naming_the_variable(port):
    result = run_manage("check", DJANGO_DEBUG="1", EMAIL_HOST="mail.example", EMAIL_PORT=port)
    assert result.returncode != 0
    assert f"EMAIL_PORT must be a TCP port number (1 to 65535), not '{port}'." in result.stderr
    assert "Traceback" not in result.stderr
    options = "settings.MAILERS['default']['OPTIONS']['port']"
    assert settings_value(options, EMAIL_HOST="mail.example", EMAIL_PORT="2525") == "2525"


def test_debug_off_with_both_set_starts():
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'bookstore.settings';"
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.SECRET_KEY)",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="books.example, www.books.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"False ['books.example', 'www.books.example'] {STRONG_KEY}"


def settings_value(expression: str, **env: str) -> str:
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'bookstore.settings';"
        f"from django.conf import settings; print({expression})",
        **{"DJANGO_DEBUG": "1", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_default_database_is_sqlite_under_var():
    assert settings_value("settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']") == (
        f"bookstore.sqlite {ROOT / 'var' / 'bookstore.sqlite3'}"
    )


def test_sqlite_transactions_take_the_write_lock_when_they_start():
    # Else a transaction that read first fails with "database is locked" when the task worker
    # holds the lock at its first write, rather than waiting for it.
    assert settings_value("settings.DATABASES['default']['OPTIONS']") == "{'transaction_mode': 'IMMEDIATE'}"


def test_database_url_selects_postgresql():
    value = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'],"
        "settings.DATABASES['default']['HOST']",
        DATABASE_URL="postgres://postgres@db.internal:5432/shop",
    )
    assert value == "django.db.backends.postgresql shop db.internal"


def test_cache_is_local_memory_by_default_and_redis_with_redis_url():
    assert settings_value("settings.CACHES['default']['BACKEND']") == "django.core.cache.backends.locmem.LocMemCache"
    assert (
        settings_value("settings.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/0")
        == "django.core.cache.backends.redis.RedisCache"
    )



def test_bookstore_cache_off_keeps_nothing_even_with_redis_url():
    backend = "settings.CACHES['default']['BACKEND']"
    dummy = "django.core.cache.backends.dummy.DummyCache"
    assert settings_value(backend, BOOKSTORE_CACHE_OFF="1") == dummy
    assert settings_value(backend, BOOKSTORE_CACHE_OFF="1", REDIS_URL="redis://127.0.0.1:6379/0") == dummy


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_redis_cache_stores_and_reads_values():
    require_service(redis_is_running(), "Redis is not running on 127.0.0.1:6379")
    result = run_python(
        "import os, uuid; os.environ['DJANGO_SETTINGS_MODULE'] = 'bookstore.settings';"
        "import django; django.setup();"
        "from django.core.cache import cache; key = f'test-{uuid.uuid4()}';"
        "cache.set(key, {'price': '62.95'}, 30); print(cache.get(key)); cache.delete(key)",
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'price': '62.95'}"


@pytest.mark.parametrize("word", ["1", "true", "yes", "on", "True"])
def test_debug_flag_words(word):
    assert settings_value("settings.DEBUG", DJANGO_DEBUG=word) == "True"


def test_debug_zero_is_off():
    value = settings_value(
        "settings.DEBUG", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="books.example"
    )
    assert value == "False"


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_database_url_names():
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_behind_a_proxy_https_is_trusted_and_cookies_are_secure():
    value = settings_value(
        "settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.CSRF_TRUSTED_ORIGINS",
        BOOKSTORE_BEHIND_PROXY="1",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://admin.books.example",
    )
    assert value == "('HTTP_X_FORWARDED_PROTO', 'https') True True ['https://admin.books.example']"
    assert settings_value("getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)") == "None"


def test_behind_a_proxy_only_this_machine_is_trusted_unless_the_proxies_are_named():
    assert settings_value("settings.BOOKSTORE_TRUSTED_PROXIES", BOOKSTORE_BEHIND_PROXY="1") == (
        "['127.0.0.0/8', '::1/128']"
    )
    named = settings_value(
        "settings.BOOKSTORE_TRUSTED_PROXIES",
        BOOKSTORE_BEHIND_PROXY="1",
        BOOKSTORE_TRUSTED_PROXIES="10.0.0.5, 10.8.0.0/16",
    )
    assert named == "['10.0.0.5/32', '10.8.0.0/16']"
    assert settings_value("settings.BOOKSTORE_TRUSTED_PROXIES") == "[]"


@pytest.mark.parametrize(
    ("proxies", "message"),
    [
        (
            {"BOOKSTORE_BEHIND_PROXY": "1", "BOOKSTORE_TRUSTED_PROXIES": "10.0.0.5, nginx"},
            "BOOKSTORE_TRUSTED_PROXIES must be IP addresses or networks (e.g. 10.0.0.5, 10.0.0.0/24), "
            "comma-separated; 'nginx' is neither.",
        ),
        (
            {"BOOKSTORE_TRUSTED_PROXIES": "10.0.0.5"},
            "BOOKSTORE_TRUSTED_PROXIES is set but BOOKSTORE_BEHIND_PROXY is not",
        ),
    ],
    ids=["not-an-address", "without-the-proxy-flag"],
)
def test_trusted_proxies_that_cannot_be_right_stop_start_up_naming_the_variable(proxies, message):
    result = run_manage("check", DJANGO_DEBUG="1", **proxies)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_makemigrations_is_a_development_command_and_finds_no_missing_migration(tmp_path):
    result = run_manage("makemigrations", "--check", "--dry-run", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_without_database_replica_url_there_is_no_replica_and_no_router():
    assert settings_value("sorted(settings.DATABASES), settings.DATABASE_ROUTERS") == "['default'] []"


def test_database_replica_url_adds_the_replica_with_the_primarys_connection_options():
    value = settings_value(
        "settings.DATABASES['replica']['HOST'], settings.DATABASES['replica']['NAME'],"
        "settings.DATABASES['replica']['CONN_MAX_AGE'], settings.DATABASES['replica']['CONN_HEALTH_CHECKS'],"
        "settings.DATABASE_ROUTERS, settings.BOOKSTORE_REPLICA_LAG_SECONDS",
        DATABASE_URL="postgres://postgres@db-primary.internal:5432/shop",
        DATABASE_REPLICA_URL="postgres://reader@db-standby.internal:5432/shop",
        DJANGO_CONN_MAX_AGE="120",
        BOOKSTORE_REPLICA_LAG_SECONDS="30",
    )
    assert value == "db-standby.internal shop 120 True ['bookstore.db_router.ReplicaRouter'] 30"
    assert settings_value("settings.BOOKSTORE_REPLICA_LAG_SECONDS") == "10"


def test_a_replica_without_a_shared_cache_is_warned_about():
    replica = {"DATABASE_REPLICA_URL": "postgres://reader@db-standby.internal:5432/shop", "DJANGO_DEBUG": "1"}
    result = run_manage("check", **replica)
    assert result.returncode == 0
    assert "storefront.W001" in result.stderr and "REDIS_URL" in result.stderr
    assert "storefront.W001" not in run_manage("check", **replica, REDIS_URL="redis://127.0.0.1:6379/0").stderr
    assert "storefront.W001" not in run_manage("check", DJANGO_DEBUG="1").stderr


def test_the_deploy_check_warns_of_a_cache_other_processes_cannot_see():
    production = {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "books.example"}
    result = run_manage("check", "--deploy", **production)
    assert "storefront.W002" in result.stderr and "REDIS_URL" in result.stderr
    shared = run_manage("check", "--deploy", **production, REDIS_URL="redis://127.0.0.1:6379/0")
    assert "storefront.W002" not in shared.stderr
    assert "storefront.W002" not in run_manage("check", **production).stderr  # a deployment check only
