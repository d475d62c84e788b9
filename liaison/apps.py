from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison and rectification")

    def ready(self) -> None:
        # Imported here: these modules load models, which exist only once the app registry is ready.
        # Services imported only for their workflows (feedback and ledger) declare them with core.transitions.
        import liaison.handover_reminders  # noqa: F401  (registers the overdue handover reminder kinds)
        from core import delivery
        from core.permissions import register_access_exclusion
        from inspection.models import InspectionRound
        from inspection.services.workflow import register_stage_guard
        from liaison import reminders  # noqa: F401 - registers the escalation kinds
        from liaison.permissions import outside_handover_roles
        from liaison.services import feedback, handovers, ledger  # noqa: F401
        from liaison.stages import units_without_officer

        register_stage_guard(InspectionRound.Status.ONSITE, units_without_officer)
        register_access_exclusion("liaison.ContactLogEntry", outside_handover_roles)
        register_access_exclusion("liaison.HandoverRecord", outside_handover_roles)
        delivery.register("liaison.HandoverRecord", handovers.DELIVERY_STEPS)
