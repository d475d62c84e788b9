from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "clues"
    verbose_name = _("Letters and clues")

    def ready(self) -> None:
        # Registers the letter reminder kinds with the core reminder engine.
        from clues import reminders  # noqa: F401
        from clues.signals import draft_letters_when_preparing
        from inspection.signals import round_moved

        round_moved.connect(draft_letters_when_preparing, dispatch_uid="clues.draft_letters_when_preparing")
