from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.BookListView.as_view(), name="book_list"),
    path("books/<slug:slug>/", views.book_detail, name="book_detail"),
    path("isbn/<str:isbn>/", views.book_by_isbn, name="book_by_isbn"),
    path("authors/<slug:slug>/", views.author_detail, name="author_detail"),
]
