from django.urls import path

from storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.BookListView.as_view(), name="book_list"),
    path("books/<slug:slug>/", views.book_detail, name="book_detail"),
    path("isbn/<str:isbn>/", views.book_by_isbn, name="book_by_isbn"),
    path("books/<slug:slug>/cover.svg", views.cover_generated, name="cover_generated"),
    path("books/<slug:slug>/cover-<int:width>.jpg", views.cover_image, name="cover_image"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author_detail"),
    path("publishers/<slug:slug>/", views.PublisherDetailView.as_view(), name="publisher_detail"),
    path("subjects/<slug:slug>/", views.SubjectDetailView.as_view(), name="subject_detail"),
    path("search/", views.SearchView.as_view(), name="search"),
]
