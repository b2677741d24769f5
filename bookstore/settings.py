"""Settings for the bookstore, driven by the environment.

The README's configuration table lists every variable read here. With debug off (the default
outside `manage.py demo` and the tests) start-up refuses to run without a secret key and the
allowed hosts, rather than serving with unsafe defaults.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from bookstore.env import env_flag, env_list, env_required, env_seconds

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_flag("DJANGO_DEBUG")

if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "development-only-key-never-used-with-debug-off"
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]"]
else:
    env_required("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

# Behind one TLS-terminating reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For:
# trust its word that the request was HTTPS, send cookies over HTTPS only, and throttle
# logins by the client's address rather than the proxy's.
BOOKSTORE_BEHIND_PROXY = env_flag("BOOKSTORE_BEHIND_PROXY")
if BOOKSTORE_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_countries",
    "reversion",
    "axes",
    "editorial",
    "catalog",
    "pricing",
    "storefront",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "storefront.middleware.ShippingCountryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into a 429 response.
    "axes.middleware.AxesMiddleware",
]

# Django's database sessions, except that a cookie which cannot be a session key is no session
# rather than a query (bookstore/sessions.py).
SESSION_ENGINE = "bookstore.sessions"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin login throttling (django-axes): after 5 failures for one account, or from one address,
# further attempts are refused with HTTP 429 for 15 minutes and logged; a success resets.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "editorial.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/login_locked_out.html"
# Name the account and address in the log, so an operator can see who is being locked out.
AXES_SENSITIVE_PARAMETERS: list[str] = []

ROOT_URLCONF = "bookstore.urls"
WSGI_APPLICATION = "bookstore.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL in dj-database-url form; the default is an SQLite file under var/.
DEFAULT_SQLITE_PATH = VAR_DIR / "bookstore.sqlite3"
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(exist_ok=True)
connection_options = {"conn_max_age": env_seconds("DJANGO_CONN_MAX_AGE", 60), "conn_health_checks": True}
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{DEFAULT_SQLITE_PATH}", **connection_options)}
# An optional read replica (a hot standby of the primary): reader pages read the catalogue from
# it, everything else uses the primary (bookstore/db_router.py says exactly what goes where).
# Without DATABASE_REPLICA_URL there is no second alias and no router.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.config("DATABASE_REPLICA_URL", **connection_options)
    DATABASE_ROUTERS = ["bookstore.db_router.ReplicaRouter"]
# For this long after any change to the catalogue or its prices, reader pages read the primary,
# so no page is rendered, and kept in the page cache, from a replica that has not caught up.
BOOKSTORE_REPLICA_LAG_SECONDS = env_seconds("BOOKSTORE_REPLICA_LAG_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "bookstore",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Uploaded cover images; thumbnails are served by the catalog's own views, so no media server is needed.
MEDIA_ROOT = Path(os.environ.get("BOOKSTORE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production (collected by gunicorn.conf.py at start-up);
    # plain files in development so nothing needs collecting.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

CATALOG_PAGE_SIZE = 12

# Shipping country when nothing in the request decides (ISO 3166-1 alpha-2), and the request
# header a CDN sets with the visitor's country (e.g. CF-IPCountry); unset means not consulted.
BOOKSTORE_DEFAULT_COUNTRY = os.environ.get("BOOKSTORE_DEFAULT_COUNTRY", "US").strip().upper()
BOOKSTORE_COUNTRY_HEADER = os.environ.get("BOOKSTORE_COUNTRY_HEADER", "").strip()

# Seconds a CDN may serve a cached reader page without asking again (s-maxage); 0: it asks each
# time, and gets a 304 while nothing changed. See storefront/page_cache.py.
BOOKSTORE_CDN_MAX_AGE = env_seconds("BOOKSTORE_CDN_MAX_AGE", 0)

# Shorter names where django-countries uses the formal one.
COUNTRIES_OVERRIDE = {"US": "United States"}
