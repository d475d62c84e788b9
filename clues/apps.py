from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "clues"
    verbose_name = _("Letters and clues")

    def ready(self) -> None:
        # Registers the letter reminder kinds with the core reminder engine.
        from clues import reminders  # noqa: F401
