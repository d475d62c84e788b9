from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison and rectification")

    def ready(self) -> None:
        import liaison.handover_reminders  # noqa: F401  (registers the overdue handover reminder kinds)
        from inspection.services.workflow import register_entry_check
        from liaison import reminders  # noqa: F401 - registers the escalation kinds
        from liaison.guards import units_without_officer

        register_entry_check(units_without_officer)
