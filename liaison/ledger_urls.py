from django.urls import path

from liaison.views import feedback, ledger

# Included at "rectification/" in the "liaison" namespace.
urlpatterns = [
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
