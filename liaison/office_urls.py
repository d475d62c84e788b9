from django.urls import path

from liaison.views import contact, handovers, offices

urlpatterns = [
    path("", offices.office_home, name="office-home"),
    path("my-unit/", offices.my_unit, name="my-unit"),
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
