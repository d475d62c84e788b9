from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "inspection"
    verbose_name = _("Inspection rounds")

    def ready(self) -> None:
        # Imported here: these modules load models, which exist only once the app registry is ready.
        from core.home import register_home_section
        from core.records import register_record_check
        from core.search import register_search_source
        from inspection import records
        from inspection.search import find_rounds
        from inspection.selectors import home_rounds

        register_home_section("inspection/_home_rounds.html", home_rounds, order=10)
        register_search_source("round", _("Rounds"), find_rounds, order=10)
        register_record_check("round_stages", records.rounds_meet_their_stage)
        register_record_check("groups_follow_rounds", records.groups_follow_their_round)
        register_record_check("units_follow_rounds", records.units_follow_their_round)
