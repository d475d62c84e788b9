from django.urls import path

from reports.views import scorecards

# One page holds both tables; each table has its own export.
urlpatterns = [
    path("", scorecards.scorecard_page, name="scorecards"),
    path("partners.xlsx", scorecards.partner_scorecard_xlsx, name="partner-scorecard-xlsx"),
    path("home-units.xlsx", scorecards.home_unit_scorecard_xlsx, name="home-unit-scorecard-xlsx"),
]
