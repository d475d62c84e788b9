from django.urls import path

from talentpool.views import recusals

urlpatterns = [
    path("mine/", recusals.my_declarations, name="recusal-mine"),
    path("units/<int:unit_pk>/declare/", recusals.declare, name="recusal-declare"),
    path("rounds/<int:round_pk>/", recusals.board, name="recusal-board"),
    path("rounds/<int:round_pk>/export.xlsx", recusals.board_export, name="recusal-export"),
    path("<int:pk>/decide/", recusals.decide, name="recusal-decide"),
]
