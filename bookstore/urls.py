from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from health.views import healthz, readyz
from orders.urls import payment_urlpatterns
from storefront.replica_reads import reader_page
from storefront.sitemaps import SITEMAPS
from storefront.views import robots_txt

admin.site.site_header = f"{settings.BOOKSTORE_SITE_NAME} administration"
admin.site.site_title = f"{settings.BOOKSTORE_SITE_NAME} admin"

# A database outage met outside a view is still the 503 page, not a 500.
handler500 = "health.views.server_error"

urlpatterns = [
    # For load balancers and orchestrators; HTTPS redirects exempt exactly these two paths.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # An index of the sections' paged sitemaps (storefront.sitemaps), each page found by ?p=.
    path(
        "sitemap.xml",
        reader_page(sitemaps_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        reader_page(sitemaps_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "storefront/sitemap.xml"},
        name="sitemap_section",
    ),
    path("robots.txt", reader_page(robots_txt), name="robots_txt"),
    path("", include("orders.urls")),
    *payment_urlpatterns,
    path("", include("storefront.urls")),
    # Uploaded originals, for the admin's "Currently:" link while developing; readers only
    # ever see the thumbnails the catalog serves itself.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
