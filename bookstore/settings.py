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
from django.utils.csp import CSP

from bookstore.env import (
    TRUE_WORDS,
    MissingSetting,
    env_flag,
    env_list,
    env_networks,
    env_required,
    env_seconds,
    env_secret_key,
    env_whole_number,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_flag("DJANGO_DEBUG")
# Set by `manage.py demo` (unless DJANGO_DEBUG is): the store as a reader sees it, debug off so a
# missing page or an error shows the site's own 404 and 500 pages, yet served on this machine
# over plain HTTP with a throwaway key and static files found where they are (no collectstatic).
BOOKSTORE_DEMO = not DEBUG and env_flag("BOOKSTORE_DEMO")
SERVED_LOCALLY = DEBUG or BOOKSTORE_DEMO

if SERVED_LOCALLY:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "development-only-key-never-used-in-production"
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]"]
else:
    env_required("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")
    SECRET_KEY = env_secret_key("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

# Behind one TLS-terminating reverse proxy that sets X-Forwarded-Proto and appends to
# X-Forwarded-For: trust its word that the request was HTTPS, redirect plain HTTP to HTTPS, and
# throttle logins by the client's address rather than the proxy's. Only requests arriving from
# BOOKSTORE_TRUSTED_PROXIES (by default this machine, where the README runs the proxy) are taken
# at their X-Forwarded-For; anyone else is known by the address they connect from
# (editorial/client_ip.py).
BOOKSTORE_BEHIND_PROXY = env_flag("BOOKSTORE_BEHIND_PROXY")
BOOKSTORE_TRUSTED_PROXIES = env_networks("BOOKSTORE_TRUSTED_PROXIES")
if BOOKSTORE_TRUSTED_PROXIES and not BOOKSTORE_BEHIND_PROXY:
    raise MissingSetting(
        "BOOKSTORE_TRUSTED_PROXIES is set but BOOKSTORE_BEHIND_PROXY is not: set BOOKSTORE_BEHIND_PROXY=1 "
        "when the site is served through a reverse proxy, or unset BOOKSTORE_TRUSTED_PROXIES."
    )
if BOOKSTORE_BEHIND_PROXY:
    BOOKSTORE_TRUSTED_PROXIES = BOOKSTORE_TRUSTED_PROXIES or ["127.0.0.0/8", "::1/128"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Load balancers and orchestrators probe the liveness and readiness endpoints over plain
    # HTTP, straight to the server: they must get an answer, not a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]

# Production is HTTPS only. Session and CSRF cookies never travel over plain HTTP, and browsers
# are told (HSTS, sent on HTTPS responses only) to use nothing but HTTPS for this host and every
# name under it for BOOKSTORE_HSTS_SECONDS. The preload directive, which asks browsers to ship
# the domain in their built-in HTTPS-only list, is a commitment for the whole registered domain
# that takes months to undo, so it is only sent with BOOKSTORE_HSTS_PRELOAD=1; until then
# check --deploy's reminder about it (security.W021) is silenced as a decision taken.
if not SERVED_LOCALLY or BOOKSTORE_BEHIND_PROXY:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if not SERVED_LOCALLY:
    SECURE_HSTS_SECONDS = env_seconds("BOOKSTORE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("BOOKSTORE_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Security headers ---------------------------------------------------------------------
# Sent on every response; the README's "Security headers" section explains each.
# Content-Security-Policy: a script runs only if its tag carries the request's nonce. Django's
# admin templates put it on every <script> (and <style>, <link>) through the `csp` context
# processor. Reader pages run no script at all and use no nonce, so their policy falls back to
# `default-src 'none'` for scripts, and the page cache never stores a nonce (it would be reused).
# Styles come from the store's own files; no inline style, style attribute or eval anywhere.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    # The admin's rich-text editor draws its toolbar's icons with a font of the store's own.
    "font-src": [CSP.SELF],
    # The admin's autocompletes fetch their choices from the store.
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features the store never uses, denied to its pages and to anything they might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "clipboard-read",
        "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection",
        "local-fonts", "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}
# A window the store's pages open, or that opens them, from another site gets no handle on them.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# --- end of security headers ----------------------------------------------------------------

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
    # The admin's rich-text editor (catalog.fields.RichTextFormField): its scripts and styles.
    "django_prose_editor",
    # The database-backed task queue that runs large ONIX imports (`manage.py db_worker`).
    "django_tasks_db",
    "editorial",
    "catalog",
    "pricing",
    "payments",
    "orders",
    "onix",
    "storefront",
    "demo",
    "health",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware, so every response (static files and error pages too)
    # carries the policies of the "Security headers" section below.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so every page the database cannot serve becomes the 503 page with the headers below.
    "health.middleware.DatabaseUnavailableMiddleware",
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

# Admin login throttling (django-axes): after 5 failures for one account from one address, that
# account is refused from that address, and after 20 failures from one address, whatever the
# accounts, that address is refused; with HTTP 429 for 15 minutes, logged. Failures are never
# counted per account alone, so no one can lock an editor out from somewhere else. A success
# resets the account's failures from that address.
BOOKSTORE_LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
BOOKSTORE_LOGIN_FAILURES_PER_ADDRESS = 20
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "editorial.login_limits.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=15)
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
                # `csp_nonce`, which the admin's templates put on their <script> and <style> tags.
                "django.template.context_processors.csp",
                # `site_name` and `site_footer`, the same for every visitor (cached pages may hold them).
                "storefront.context_processors.site",
            ],
        },
    },
]

# Form widgets: Django's built-in widget templates are rendered with Jinja2, several times faster
# than the template language for the hundreds of widgets of a book's change form (see the module).
FORM_RENDERER = "editorial.renderers.FastWidgetRenderer"

# DATABASE_URL in dj-database-url form; the default is an SQLite file under var/.
DEFAULT_SQLITE_PATH = VAR_DIR / "bookstore.sqlite3"
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(exist_ok=True)
connection_options = {"conn_max_age": env_seconds("DJANGO_CONN_MAX_AGE", 60), "conn_health_checks": True}
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{DEFAULT_SQLITE_PATH}", **connection_options)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, rewriting each query text's placeholders once (see the module).
    DATABASES["default"]["ENGINE"] = "bookstore.sqlite"
    # A transaction on SQLite takes the write lock when it starts, not at its first write: one
    # that had read when the task worker (manage.py demo starts one) held the lock could not
    # then write and failed at once with "database is locked" (a 503 while paying in the demo),
    # where waiting its turn succeeds.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
# Time limits, so a slow or hung PostgreSQL makes a page fail within seconds (503, see
# health/middleware.py) instead of holding a worker: connecting, and each statement (0: none).
# health/database.py enforces both on the client too, for a server that answers nothing at all.
# `manage.py` commands run without a statement limit unless it is set (migrations, imports and
# reindexing on a large catalogue run long).
DATABASE_CONNECT_TIMEOUT = env_seconds("DATABASE_CONNECT_TIMEOUT", 2)
DATABASE_STATEMENT_TIMEOUT = env_seconds("DATABASE_STATEMENT_TIMEOUT", 3)


def postgresql_time_limits(database: dict) -> dict:
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        if DATABASE_CONNECT_TIMEOUT:
            options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
        server_options = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
        options["options"] = f"{options['options']} {server_options}" if options.get("options") else server_options
    return database


postgresql_time_limits(DATABASES["default"])
# An optional read replica (a hot standby of the primary): reader pages read the catalogue from
# it, everything else uses the primary (bookstore/db_router.py says exactly what goes where).
# Without DATABASE_REPLICA_URL there is no second alias and no router.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = postgresql_time_limits(dj_database_url.config("DATABASE_REPLICA_URL", **connection_options))
    DATABASE_ROUTERS = ["bookstore.db_router.ReplicaRouter"]
# For this long after any change to the catalogue or its prices, reader pages read the primary,
# so no page is rendered, and kept in the page cache, from a replica that has not caught up.
BOOKSTORE_REPLICA_LAG_SECONDS = env_seconds("BOOKSTORE_REPLICA_LAG_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env_flag("BOOKSTORE_CACHE_OFF"):
    # Keeps nothing: every request renders its page whole and reads every fact it needs, as the
    # first request for a book after a change does. For measuring those cold pages, not for serving.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "bookstore",
            # Redis answers in well under a millisecond. One that stops answering (hung, not down)
            # would otherwise hold every request forever; with these limits each cache call gives
            # up after half a second and the page is served without the cache, as in an outage.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
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
            if SERVED_LOCALLY
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Locally WhiteNoise serves static files from where they live and sees edits without a restart.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = SERVED_LOCALLY

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

CATALOG_PAGE_SIZE = 12

# Background work (ONIX imports too large for one request) goes through Django's tasks framework
# into the database; `manage.py db_worker` runs it (`manage.py demo` starts one beside the server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The largest ONIX file the admin's upload page takes, in megabytes. The store's own export of the
# synthetic catalogue takes about 5.7 MB per 1,000 products (540 MB for 95,000); the reverse
# proxy's own limit (nginx client_max_body_size) must be at least this. Uploads above 2.5 MB go to
# a temporary file, never into memory.
BOOKSTORE_ONIX_MAX_UPLOAD_MB = env_whole_number("BOOKSTORE_ONIX_MAX_UPLOAD_MB", 1024, unit="megabytes")
# Files up to this size are imported within the upload's own request; larger ones by the worker.
BOOKSTORE_ONIX_INLINE_BYTES = 1_000_000

# Shipping country when nothing in the request decides (ISO 3166-1 alpha-2), and the request
# header a CDN sets with the visitor's country (e.g. CF-IPCountry); unset means not consulted.
BOOKSTORE_DEFAULT_COUNTRY = os.environ.get("BOOKSTORE_DEFAULT_COUNTRY", "US").strip().upper()
BOOKSTORE_COUNTRY_HEADER = os.environ.get("BOOKSTORE_COUNTRY_HEADER", "").strip()

# Seconds a CDN may serve a cached reader page without asking again (s-maxage); 0: it asks each
# time, and gets a 304 while nothing changed. See storefront/page_cache.py.
BOOKSTORE_CDN_MAX_AGE = env_seconds("BOOKSTORE_CDN_MAX_AGE", 0)

# The publisher's name for the site (page titles, the header, Open Graph's site name) and the
# footer's line. Plain text: any HTML in them is shown as written.
BOOKSTORE_SITE_NAME = " ".join(os.environ.get("BOOKSTORE_SITE_NAME", "").split()) or "Bookstore"
BOOKSTORE_SITE_FOOTER = " ".join(os.environ.get("BOOKSTORE_SITE_FOOTER", "").split()) or (
    f"{BOOKSTORE_SITE_NAME} · books from their publishers, priced for the country they ship to."
)

# --- Orders: site address, payments, email ---------------------------------------------------
# The site's address for links in emails and the payment provider's return address. Locally
# the demo's; in production the first of DJANGO_ALLOWED_HOSTS over HTTPS unless set.
BOOKSTORE_SITE_URL = (
    os.environ.get("BOOKSTORE_SITE_URL", "").strip().rstrip("/")
    or ("http://127.0.0.1:8000" if SERVED_LOCALLY else f"https://{ALLOWED_HOSTS[0].lstrip('.')}")
)
PAYMENT_HOST = BOOKSTORE_SITE_URL.split("://", 1)[1]
PAYMENT_USES_SSL = BOOKSTORE_SITE_URL.startswith("https://")
PAYMENT_MODEL = "orders.Payment"
# Stripe when its secret key is set (STRIPE_SECRET_KEY, and STRIPE_WEBHOOK_SECRET for the
# webhook's signature); otherwise django-payments' dummy provider, for the demo and the tests,
# which lets the reader choose the outcome (`manage.py check --deploy` warns of it: orders.W001).
if os.environ.get("STRIPE_SECRET_KEY"):
    PAYMENT_VARIANTS = {
        "default": (
            "payments.stripe.StripeProviderV3",
            {
                "api_key": os.environ["STRIPE_SECRET_KEY"],
                "endpoint_secret": os.environ.get("STRIPE_WEBHOOK_SECRET") or None,
                "secure_endpoint": bool(os.environ.get("STRIPE_WEBHOOK_SECRET")),
            },
        )
    }
else:
    PAYMENT_VARIANTS = {"default": ("payments.dummy.DummyProvider", {})}

# Email: SMTP when EMAIL_HOST is set (EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS / EMAIL_USE_SSL), else printed on the console (development;
# `manage.py check --deploy` warns of it in production: orders.W002).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or (
    f"{BOOKSTORE_SITE_NAME} <orders@{PAYMENT_HOST.split(':')[0]}>"
)
if os.environ.get("EMAIL_HOST"):
    _email_ssl = env_flag("EMAIL_USE_SSL")
    _email_port = os.environ.get("EMAIL_PORT", "").strip()
    if _email_port and not (_email_port.isdigit() and 0 < int(_email_port) < 65536):
        raise MissingSetting(f"EMAIL_PORT must be a TCP port number (1 to 65535), not {_email_port!r}.")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(_email_port or (465 if _email_ssl else 587)),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_ssl": _email_ssl,
                # STARTTLS unless SSL is used or EMAIL_USE_TLS=0 says otherwise.
                "use_tls": not _email_ssl and os.environ.get("EMAIL_USE_TLS", "1").strip().lower() in TRUE_WORDS,
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Checkout and payment POSTs each client address may make in a window of seconds; past it they
# get 429 with Retry-After (orders/security.py). 0 turns the limit off.
BOOKSTORE_CHECKOUT_RATE_LIMIT = env_whole_number("BOOKSTORE_CHECKOUT_RATE_LIMIT", 30, unit="requests")
BOOKSTORE_CHECKOUT_RATE_WINDOW = env_seconds("BOOKSTORE_CHECKOUT_RATE_WINDOW", 10 * 60)
if BOOKSTORE_CHECKOUT_RATE_WINDOW < 1:
    raise MissingSetting("BOOKSTORE_CHECKOUT_RATE_WINDOW must be 1 second or more.")
# --- end of orders ----------------------------------------------------------------------------

# Shorter names where django-countries uses the formal one, and English where it uses another
# language's (Nauru under its Nauruan name, where no reader looking for it would find it).
COUNTRIES_OVERRIDE = {"US": "United States", "NR": "Nauru"}
