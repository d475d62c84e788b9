from django.urls import path

from reports.views import deadlines

urlpatterns = [
    path("", deadlines.deadline_board, name="deadlines"),
    path("export.xlsx", deadlines.deadline_export, name="deadlines-xlsx"),
]
