from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core.services.roles import sync_role_permissions  # it loads models: only once the registry is ready

        # Configuration sync, not domain flow: permissions of every app exist only after migrate.
        post_migrate.connect(sync_role_permissions, dispatch_uid="core.sync_role_permissions")
