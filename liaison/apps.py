from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison and rectification")

    def ready(self) -> None:
        # Imported here: these modules load models, which exist only once the app registry is ready.
        # Services imported only for their workflows (feedback and ledger) declare them with core.transitions.
        from core import delivery
        from core.permissions import register_access_exclusion
        from core.services.reminders import register_ladder
        from inspection.models import InspectionRound
        from inspection.services.workflow import register_stage_guard
        from liaison.permissions import outside_handover_roles
        from liaison.reminders import HANDOVERS, RECTIFICATION
        from liaison.services import feedback, handovers, ledger  # noqa: F401
        from liaison.stages import feedback_not_delivered, ledger_not_closed, units_without_officer

        register_ladder(RECTIFICATION)
        register_ladder(HANDOVERS)
        register_stage_guard(InspectionRound.Status.ONSITE, units_without_officer)
        register_stage_guard(InspectionRound.Status.RECTIFYING, feedback_not_delivered)
        register_stage_guard(InspectionRound.Status.REVIEWING, ledger_not_closed)
        register_stage_guard(InspectionRound.Status.ARCHIVED, ledger_not_closed)
        register_access_exclusion("liaison.ContactLogEntry", outside_handover_roles)
        register_access_exclusion("liaison.HandoverRecord", outside_handover_roles)
        delivery.register("liaison.HandoverRecord", handovers.DELIVERY_STEPS)
