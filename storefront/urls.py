from django.urls import path

from storefront import product_page, views
from storefront.page_cache import cached_page
from storefront.replica_reads import reader_page

app_name = "storefront"


def cached_reader_page(view):
    return reader_page(cached_page(view))


urlpatterns = [
    path("", cached_reader_page(views.NewestBooksView.as_view()), name="book_list"),
    path("books/<slug:slug>/", cached_reader_page(product_page.book_detail), name="book_detail"),
    path("isbn/<str:isbn>/", reader_page(views.book_by_isbn), name="book_by_isbn"),
    path("books/<slug:slug>/cite.<str:kind>", reader_page(views.book_citation), name="book_citation"),
    path("books/<slug:slug>/cover.svg", reader_page(views.cover_generated), name="cover_generated"),
    path("books/<slug:slug>/cover-social.png", reader_page(views.cover_social), name="cover_social"),
    path("books/<slug:slug>/cover-<int:width>.jpg", reader_page(views.cover_image), name="cover_image"),
    path("authors/<slug:slug>/", cached_reader_page(views.AuthorDetailView.as_view()), name="author_detail"),
    path(
        "publishers/<slug:slug>/", cached_reader_page(views.PublisherDetailView.as_view()), name="publisher_detail"
    ),
    path("subjects/<slug:slug>/", cached_reader_page(views.SubjectDetailView.as_view()), name="subject_detail"),
    path("series/<slug:slug>/", cached_reader_page(views.SeriesDetailView.as_view()), name="series_detail"),
    path("search/", reader_page(views.SearchView.as_view()), name="search"),
]
