"""The site's URLs plus one view that always fails, for testing the server error page."""

from django.urls import path

from bookstore.urls import handler500  # noqa: F401 - the site's server error page, as in production
from bookstore.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [*site_urlpatterns, path("__broken__/", broken_view)]
