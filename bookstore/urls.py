from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Bookstore administration"
admin.site.site_title = "Bookstore admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("catalog.urls")),
]
