"""The sitemap: every page a crawler should know, with its last change where the model records one."""

from django.contrib.sitemaps import GenericSitemap

from catalog.models import Author, Book, Publisher, Subject

SITEMAPS = {
    "books": GenericSitemap(
        {"queryset": Book.objects.order_by("pk"), "date_field": "updated_at"}, priority=0.8, changefreq="weekly"
    ),
    "authors": GenericSitemap(
        {"queryset": Author.objects.order_by("pk"), "date_field": "updated_at"}, priority=0.5, changefreq="monthly"
    ),
    "publishers": GenericSitemap({"queryset": Publisher.objects.order_by("pk")}, priority=0.3, changefreq="monthly"),
    "subjects": GenericSitemap({"queryset": Subject.objects.order_by("pk")}, priority=0.3, changefreq="monthly"),
}
