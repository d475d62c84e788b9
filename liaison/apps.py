from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison and rectification")

    def ready(self) -> None:
        # Imported here: these modules load models, which exist only once the app registry is ready.
        # Services imported only for their workflows (feedback and ledger) declare them with core.transitions.
        from core import delivery
        from core.deadlines import register_deadline_source
        from core.permissions import register_access_exclusion
        from core.records import register_record_check
        from core.search import register_search_source
        from core.services.reminders import register_ladder
        from inspection.models import InspectionRound
        from inspection.services.workflow import register_stage_guard
        from liaison import documents, records
        from liaison.deadlines import handover_rows, handovers_due, rectification_due, rectification_rows
        from liaison.permissions import outside_handover_roles
        from liaison.reminders import HANDOVERS, RECTIFICATION
        from liaison.search import find_rectification_items, find_units
        from liaison.services import feedback, handovers, ledger  # noqa: F401
        from liaison.stages import feedback_not_delivered, ledger_not_closed, units_without_officer

        register_ladder(RECTIFICATION)
        register_ladder(HANDOVERS)
        register_deadline_source(
            "handover", _("Handover"), handovers_due, due_field="due_at", rows=handover_rows, order=30
        )
        register_deadline_source(
            "rectification",
            _("Rectification item"),
            rectification_due,
            due_field="deadline",
            rows=rectification_rows,
            order=50,
        )
        register_search_source("unit", _("Inspected units"), find_units, order=20)
        register_search_source("rectification", _("Rectification items"), find_rectification_items, order=60)
        register_stage_guard(InspectionRound.Status.ONSITE, units_without_officer)
        register_stage_guard(InspectionRound.Status.RECTIFYING, feedback_not_delivered)
        register_stage_guard(InspectionRound.Status.REVIEWING, ledger_not_closed)
        register_stage_guard(InspectionRound.Status.ARCHIVED, ledger_not_closed)
        register_access_exclusion("liaison.ContactLogEntry", outside_handover_roles)
        register_access_exclusion("liaison.HandoverRecord", outside_handover_roles)
        delivery.register("liaison.HandoverRecord", handovers.DELIVERY_STEPS, owners=lambda r: [r.requested_by])
        documents.register()
        register_record_check("feedback_after_site", records.no_feedback_before_leaving_the_site)
        register_record_check("feedback_dated", records.delivered_feedback_is_dated)
        register_record_check("ledger_signed_off_dated", records.signed_off_items_are_dated)
