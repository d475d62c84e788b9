from django.urls import path

from reports.views import dashboard, deadlines, scorecards, search

app_name = "reports"
urlpatterns = [
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/dashboard.xlsx", dashboard.dashboard_xlsx, name="dashboard-xlsx"),
    path("dashboard/summary.docx", dashboard.dashboard_docx, name="dashboard-docx"),
    path("deadlines/", deadlines.deadline_board, name="deadlines"),
    path("deadlines/export.xlsx", deadlines.deadline_export, name="deadlines-xlsx"),
    # One page holds both tables; each table has its own export.
    path("scorecards/", scorecards.scorecard_page, name="scorecards"),
    path("scorecards/partners.xlsx", scorecards.partner_scorecard_xlsx, name="partner-scorecard-xlsx"),
    path("scorecards/home-units.xlsx", scorecards.home_unit_scorecard_xlsx, name="home-unit-scorecard-xlsx"),
    path("search/", search.search_page, name="search"),
]
