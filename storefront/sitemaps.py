from django.contrib.sitemaps import Sitemap

from catalog.models import Author, Book


class BookSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Book.objects.order_by("pk")

    def lastmod(self, book: Book):
        return book.updated_at


class AuthorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Author.objects.order_by("pk")

    def lastmod(self, author: Author):
        return author.updated_at


SITEMAPS = {"books": BookSitemap, "authors": AuthorSitemap}
