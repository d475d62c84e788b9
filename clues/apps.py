from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "clues"
    verbose_name = _("Letters and clues")

    def ready(self) -> None:
        # Imported here: these modules load models, which exist only once the app registry is ready.
        # Services imported only for their workflows (lifecycle and replies) declare them with core.transitions.
        from clues import documents, jobs, records, stages
        from clues.deadlines import letter_rows, letters_due, transfer_rows, transfers_due
        from clues.models import LetterReply
        from clues.reminders import LETTERS, TRANSFERS
        from clues.search import find_clues, find_letters
        from clues.services import letters, lifecycle, replies, transfers  # noqa: F401
        from clues.services.replies import reply_file_download
        from core import delivery
        from core.deadlines import register_deadline_source
        from core.files import register_rendition
        from core.records import register_record_check
        from core.search import register_search_source
        from core.services.reminders import register_ladder
        from inspection.models import InspectionRound
        from inspection.services.workflow import register_stage_action, register_stage_guard, register_stage_preview

        register_ladder(LETTERS)
        register_ladder(TRANSFERS)
        register_deadline_source(
            "letter", _("Letter reply"), letters_due, due_field="deadline", rows=letter_rows, order=10
        )
        register_deadline_source(
            "transfer", _("Transfer feedback"), transfers_due, due_field="feedback_due", rows=transfer_rows, order=40
        )
        register_search_source("letter", _("Information request letters"), find_letters, order=40)
        register_search_source("clue", _("Clues"), find_clues, order=50)
        register_stage_action(InspectionRound.Status.PREPARING, stages.draft_letters)
        register_stage_preview(InspectionRound.Status.PREPARING, stages.letters_preview)
        register_stage_guard(InspectionRound.Status.REPORTING, stages.unscreened_or_unsent)
        register_stage_guard(InspectionRound.Status.ARCHIVED, stages.transfers_not_sent)
        # Archive ends the groups' reading of the round's clues (docs/domain.md §5.2 rule 3).
        register_stage_action(InspectionRound.Status.ARCHIVED, stages.close_groups_reading)
        register_stage_preview(InspectionRound.Status.ARCHIVED, stages.archive_preview)
        delivery.register("clues.InfoRequestLetter", letters.DELIVERY_STEPS, owners=lambda r: [r.approved_by])
        delivery.register("clues.ClueTransfer", transfers.DELIVERY_STEPS, owners=lambda r: [r.approved_by])
        # A reply's workbook downloads as its sealed copy, never as the original (issue 11).
        register_rendition(LetterReply, reply_file_download)
        jobs.register()
        documents.register()
        register_record_check("letters_delivered", records.delivered_letters_reach_their_partner)
        register_record_check("clues_handed_over", records.clues_past_screening_were_handed_over)
        register_record_check("archived_rounds_closed", records.archived_rounds_closed_to_their_groups)
        register_record_check("clue_counters", records.clue_counters_equal_a_recount)
