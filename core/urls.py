from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox-mark-read"),
    path("inbox/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("profile/", views.profile, name="profile"),
    path("status/", views.health_page, name="health"),
    path("status/stuck/", views.stuck_work, name="stuck-work"),
    path("status/stuck/requeue-all/", views.stuck_requeue_all, name="stuck-requeue-all"),
    path(
        "status/stuck/reminders/<int:pk>/<slug:action>/",
        views.stuck_resolve,
        {"kind": "reminder"},
        name="stuck-reminder",
    ),
    path(
        "status/stuck/deliveries/<int:pk>/<slug:action>/",
        views.stuck_resolve,
        {"kind": "delivery"},
        name="stuck-delivery",
    ),
    path("files/<uuid:file_id>/", views.file_download, name="file-download"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
]
