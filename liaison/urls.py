from django.urls import include, path

app_name = "liaison"
# Each area keeps its own URL module; the names live in the one "liaison" namespace.
urlpatterns = [
    path("liaison/", include("liaison.office_urls")),
    path("rectification/", include("liaison.ledger_urls")),
]
