from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox-mark-read"),
    path("status/", views.health_page, name="health"),
    path("files/<uuid:file_id>/", views.file_download, name="file-download"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
]
