"""The draw and the secondment requests, under /talentpool/secondments/ in the "talentpool" namespace."""

from django.urls import path

from talentpool.views import secondments as views

urlpatterns = [
    path("", views.secondment_list, name="secondment-list"),
    path("fairness/", views.fairness, name="secondment-fairness"),
    path("export.xlsx", views.secondment_export, name="secondment-export"),
    path("<int:pk>/", views.secondment_detail, name="secondment-detail"),
    path("<int:pk>/letter.docx", views.secondment_letter, name="secondment-docx"),
    path("<int:pk>/send/", views.secondment_send, name="secondment-send"),
    path("<int:pk>/accept/", views.secondment_accept, name="secondment-accept"),
    path("<int:pk>/decline/", views.secondment_decline, name="secondment-decline"),
    path("<int:pk>/escalate/", views.secondment_escalate, name="secondment-escalate"),
    path("<int:pk>/replace/", views.secondment_replace, name="secondment-replace"),
    path("<int:pk>/confirm/", views.secondment_confirm, name="secondment-confirm"),
    path("<int:pk>/cancel/", views.secondment_cancel, name="secondment-cancel"),
    path("<int:pk>/complete/", views.secondment_complete, name="secondment-complete"),
    path("<int:pk>/report/", views.secondment_report, name="secondment-report"),
    path("<int:pk>/evaluate/", views.secondment_evaluate, name="secondment-evaluate"),
    path("groups/<int:group_pk>/draw/", views.group_draw, name="group-draw"),
    path("groups/<int:group_pk>/send/", views.group_send_drafts, name="group-send-drafts"),
    path("draws/<int:pk>/accept/", views.draw_accept, name="draw-accept"),
    path("draws/<int:pk>/replace/", views.draw_replace, name="draw-replace"),
    path("draws/<int:pk>/override/", views.draw_override, name="draw-override"),
]
