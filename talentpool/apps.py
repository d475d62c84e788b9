from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentpoolConfig(AppConfig):
    name = "talentpool"
    verbose_name = _("Talent pools")

    def ready(self) -> None:
        # Registers the secondment reminder kinds with the core reminder engine.
        from talentpool import reminders  # noqa: F401
