from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Imported here: these modules load models, which exist only once the app registry is ready.
        from core import delivery  # noqa: F401 - its workflow (core.transitions): stuck deliveries are resolved by moves
        from core.files import delete_bytes_on_commit
        from core.models import StoredFile
        from core.records import register_record_check
        from core.services import reminders, stuck  # noqa: F401 - their workflows, as above
        from core.services.roles import sync_role_permissions

        register_record_check("reminders", reminders.reminders_of_closed_records)

        # Configuration sync, not domain flow: permissions of every app exist only after migrate.
        post_migrate.connect(sync_role_permissions, dispatch_uid="core.sync_role_permissions")
        # Storage bookkeeping, not domain flow: a deleted file row takes its bytes with it.
        post_delete.connect(delete_bytes_on_commit, sender=StoredFile, dispatch_uid="core.delete_bytes_on_commit")
