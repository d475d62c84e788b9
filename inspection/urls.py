from django.urls import path

from inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("new/", views.round_create, name="round-create"),
    path("export.xlsx", views.round_export, name="round-export"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("<int:pk>/move/", views.round_move, name="round-move"),
    path("<int:pk>/move/<str:to>/", views.round_move_confirm, name="round-move-confirm"),
    path("<int:pk>/add/<str:what>/", views.round_add, name="round-add"),
]
