from django.conf import settings
from django.core.checks import Error, Warning, register

from storefront.country import country_code


@register()
def default_country_is_a_country(app_configs, **kwargs):
    if country_code(settings.BOOKSTORE_DEFAULT_COUNTRY):
        return []
    return [
        Error(
            f"BOOKSTORE_DEFAULT_COUNTRY={settings.BOOKSTORE_DEFAULT_COUNTRY!r} is not an ISO 3166-1 alpha-2 code.",
            hint="Use a two-letter country code such as US, GB or DE.",
            id="storefront.E001",
        )
    ]


@register()
def replica_has_a_shared_cache(app_configs, **kwargs):
    """With a read replica, the time of the last change must reach every process: a local-memory cache does not."""
    if "replica" not in settings.DATABASES or "LocMemCache" not in settings.CACHES["default"]["BACKEND"]:
        return []
    return [
        Warning(
            "DATABASE_REPLICA_URL is set but the cache is each process's own memory: a change made in one "
            "process neither keeps the others' reader pages off the lagging replica nor forgets their cached pages.",
            hint="Set REDIS_URL to a Redis server that every web server and management command shares.",
            id="storefront.W001",
        )
    ]


@register(deploy=True)
def production_has_a_shared_cache(app_configs, **kwargs):
    """In production the page cache and pricing's copy of markets must hear of every change, in any process."""
    if "LocMemCache" not in settings.CACHES["default"]["BACKEND"]:
        return []
    return [
        Warning(
            "The cache is each process's own memory: a change saved through one gunicorn worker, or by a "
            "management command, does not reach the others, which keep serving their cached pages and prices.",
            hint="Set REDIS_URL to a Redis server that every web server and management command shares.",
            id="storefront.W002",
        )
    ]
