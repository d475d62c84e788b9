from django.urls import include, path

app_name = "reports"
# Each area keeps its own URL module; the names live in the one "reports" namespace.
urlpatterns = [
    path("dashboard/", include("reports.dashboard_urls")),
    path("deadlines/", include("reports.deadline_urls")),
    path("scorecards/", include("reports.scorecard_urls")),
    path("search/", include("reports.search_urls")),
]
