"""The test settings with our apps listed in the opposite order, to prove nothing depends on it."""

from tests.settings import *  # noqa: F403

OUR_APPS = ["editorial", "catalog", "pricing", "onix", "storefront", "demo"]
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in OUR_APPS] + OUR_APPS[::-1]  # noqa: F405
