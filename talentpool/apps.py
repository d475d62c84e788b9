from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentpoolConfig(AppConfig):
    name = "talentpool"
    verbose_name = _("Talent pools")

    def ready(self) -> None:
        # Imported here: these modules load models, which exist only once the app registry is ready.
        # Services imported only for their workflows (pools, recusals and zones) declare them with core.transitions.
        from core import delivery
        from core.deadlines import register_deadline_source
        from core.permissions import register_access_exclusion
        from core.search import register_search_source
        from core.services.reminders import register_ladder
        from inspection.models import InspectionRound
        from inspection.services.workflow import register_stage_guard
        from talentpool import documents
        from talentpool.deadlines import secondment_rows, secondments_due
        from talentpool.permissions import clues_of_recused_units
        from talentpool.reminders import SECONDMENTS
        from talentpool.search import find_people
        from talentpool.services import cross_staffing, pools, recusals, secondments  # noqa: F401
        from talentpool.stages import undeclared_conflicts_and_unreleased_secondees

        register_ladder(SECONDMENTS)
        register_deadline_source(
            "secondment",
            _("Secondment reply"),
            secondments_due,
            due_field="response_due",
            rows=secondment_rows,
            order=20,
        )
        register_search_source("person", _("People"), find_people, order=30)
        register_stage_guard(InspectionRound.Status.ONSITE, undeclared_conflicts_and_unreleased_secondees)
        # Named by label: talentpool and clues stay independent of each other.
        register_access_exclusion("clues.Clue", clues_of_recused_units)
        delivery.register("talentpool.SecondmentRequest", secondments.DELIVERY_STEPS, owners=lambda r: [r.created_by])
        documents.register()
