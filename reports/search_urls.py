from django.urls import path

from reports.views import search

urlpatterns = [
    path("", search.search_page, name="search"),
]
