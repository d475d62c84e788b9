from django.urls import include, path

from liaison.views import contact, feedback, handovers, ledger, offices

app_name = "liaison"

# Liaison offices and officers, the contact log and handovers.
office_patterns = [
    path("", offices.office_home, name="office-home"),
    path("my-unit/", offices.my_unit, name="my-unit"),
    path("my-unit/<slug:page>/", offices.my_unit, name="my-unit-page"),
    path("rounds/<int:round_pk>/units/", offices.round_units, name="round-units"),
    path("rounds/<int:round_pk>/units.xlsx", offices.round_units_export, name="round-units-export"),
    path("units/<int:pk>/", offices.unit_detail, name="unit-detail"),
    path("units/<int:pk>/office/", offices.office_set_up, name="office-set-up"),
    path("units/<int:pk>/officer/", offices.officer_appoint, name="officer-appoint"),
    path("units/<int:pk>/contact/", contact.contact_log, name="contact-log"),
    path("units/<int:pk>/handovers/", handovers.handover_list, name="handover-list"),
    path("units/<int:pk>/handovers.docx", handovers.handover_docx, name="handover-docx"),
    path("units/<int:pk>/handovers.xlsx", handovers.handover_export, name="handover-export"),
    path("units/<int:pk>/contact.xlsx", contact.contact_log_export, name="contact-log-export"),
    path("handovers/<int:pk>/<str:action>/", handovers.handover_action, name="handover-action"),
]

# Feedback and the rectification ledger.
rectification_patterns = [
    path("", ledger.overview, name="rectification-overview"),
    path("units/<int:unit_pk>/feedback/", feedback.feedback_page, name="feedback"),
    path("units/<int:unit_pk>/feedback/problems/", feedback.problem_add, name="problem-add"),
    path("units/<int:unit_pk>/feedback/approve/", feedback.feedback_approve, name="feedback-approve"),
    path("units/<int:unit_pk>/feedback/deliver/", feedback.feedback_deliver, name="feedback-deliver"),
    path("units/<int:unit_pk>/ledger/", ledger.ledger, name="ledger"),
    path("units/<int:unit_pk>/ledger/export/", ledger.ledger_export, name="ledger-export"),
    path("units/<int:unit_pk>/ledger/import/", ledger.ledger_import, name="ledger-import"),
    path("units/<int:unit_pk>/ledger/import/errors/", ledger.ledger_import_errors, name="ledger-import-errors"),
    path("problems/<int:problem_pk>/items/", ledger.item_add, name="item-add"),
    path("items/<int:pk>/", ledger.item_detail, name="item-detail"),
    path("items/<int:pk>/progress/", ledger.item_progress, name="item-progress"),
    path("items/<int:pk>/notice.docx", ledger.item_notice, name="item-notice"),
    path("items/<int:pk>/<slug:step>/", ledger.item_step, name="item-step"),
    path("reports/<int:pk>/", ledger.report_submit, name="report-submit"),
]

# One list per area under its prefix; every name lives in the one "liaison" namespace.
urlpatterns = [
    path("liaison/", include(office_patterns)),
    path("rectification/", include(rectification_patterns)),
]
