from django.urls import path

from inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
]
