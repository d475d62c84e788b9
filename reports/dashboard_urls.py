from django.urls import path

from reports.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard_page, name="dashboard"),
    path("dashboard.xlsx", dashboard.dashboard_xlsx, name="dashboard-xlsx"),
    path("summary.docx", dashboard.dashboard_docx, name="dashboard-docx"),
]
