from django.urls import include, path

from talentpool.views import cross_staffing, pools, recusals, secondments

app_name = "talentpool"

pool_patterns = [
    path("", pools.pool_list, name="pool-list"),
    path("export/", pools.pool_export, name="pool-export"),
    path("nominate/", pools.nominate, name="pool-nominate"),
    path("import/", pools.roster_import, name="pool-import"),
    path("import/template/", pools.roster_template, name="pool-import-template"),
    path("import/errors/", pools.roster_errors, name="pool-import-errors"),
    path("<int:pk>/", pools.entry_detail, name="pool-entry"),
    path("<int:pk>/<slug:move>/", pools.entry_move, name="pool-entry-move"),
]

# The draw and the secondment requests.
secondment_patterns = [
    path("", secondments.secondment_list, name="secondment-list"),
    path("fairness/", secondments.fairness, name="secondment-fairness"),
    path("export.xlsx", secondments.secondment_export, name="secondment-export"),
    path("<int:pk>/", secondments.secondment_detail, name="secondment-detail"),
    path("<int:pk>/letter.docx", secondments.secondment_letter, name="secondment-docx"),
    path("<int:pk>/send/", secondments.secondment_send, name="secondment-send"),
    path("<int:pk>/accept/", secondments.secondment_accept, name="secondment-accept"),
    path("<int:pk>/decline/", secondments.secondment_decline, name="secondment-decline"),
    path("<int:pk>/escalate/", secondments.secondment_escalate, name="secondment-escalate"),
    path("<int:pk>/replace/", secondments.secondment_replace, name="secondment-replace"),
    path("<int:pk>/confirm/", secondments.secondment_confirm, name="secondment-confirm"),
    path("<int:pk>/declare/<int:unit_pk>/", secondments.secondment_declare, name="secondment-declare"),
    path("<int:pk>/cancel/", secondments.secondment_cancel, name="secondment-cancel"),
    path("<int:pk>/paper-delivery/", secondments.secondment_paper_delivery, name="secondment-paper-delivery"),
    path("<int:pk>/complete/", secondments.secondment_complete, name="secondment-complete"),
    path("<int:pk>/report/", secondments.secondment_report, name="secondment-report"),
    path("<int:pk>/evaluate/", secondments.secondment_evaluate, name="secondment-evaluate"),
    path("groups/<int:group_pk>/draw/", secondments.group_draw, name="group-draw"),
    path("groups/<int:group_pk>/send/", secondments.group_send_drafts, name="group-send-drafts"),
    path("draws/<int:pk>/accept/", secondments.draw_accept, name="draw-accept"),
    path("draws/<int:pk>/replace/", secondments.draw_replace, name="draw-replace"),
    path("draws/<int:pk>/override/", secondments.draw_override, name="draw-override"),
]

recusal_patterns = [
    path("mine/", recusals.my_declarations, name="recusal-mine"),
    path("units/<int:unit_pk>/declare/", recusals.declare, name="recusal-declare"),
    path("rounds/<int:round_pk>/", recusals.board, name="recusal-board"),
    path("rounds/<int:round_pk>/export.xlsx", recusals.board_export, name="recusal-export"),
    path("<int:pk>/decide/", recusals.decide, name="recusal-decide"),
]

cross_staffing_patterns = [
    path("", cross_staffing.cross_staffing, name="cross-staffing"),
    path("case-work.xlsx", cross_staffing.case_work_export, name="case-work-export"),
    path("zones/<int:pk>/activate/", cross_staffing.zone_activate, name="zone-activate"),
]

# One list per area under its prefix; every name lives in the one "talentpool" namespace.
urlpatterns = [
    path("pools/", include(pool_patterns)),
    path("secondments/", include(secondment_patterns)),
    path("recusals/", include(recusal_patterns)),
    path("cross-staffing/", include(cross_staffing_patterns)),
]
