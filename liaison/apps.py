from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison and rectification")

    def ready(self) -> None:
        from inspection.services.workflow import register_entry_check
        from liaison.guards import units_without_officer

        register_entry_check(units_without_officer)
