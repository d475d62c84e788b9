from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Read-only views across the apps: the dashboard, the deadline board, scorecards, search."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Imported here: these modules load models, which exist only once the app registry is ready.
        # digest registers the weekly digest with the reminder engine.
        from core.home import register_home_section
        from reports import documents, jobs
        from reports.selectors.deadlines import home_due
        from reports.services import digest  # noqa: F401

        register_home_section("reports/_home_due.html", home_due, order=5)
        jobs.register()
        documents.register()
