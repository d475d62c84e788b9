from django.urls import path

from talentpool.views import cross_staffing

urlpatterns = [
    path("", cross_staffing.cross_staffing, name="cross-staffing"),
    path("case-work.xlsx", cross_staffing.case_work_export, name="case-work-export"),
]
