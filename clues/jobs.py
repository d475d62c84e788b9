"""Clues' long work as background jobs (core.jobs), registered in CluesConfig.ready: accepting a
large answer, approving a round's letters, a large registry export.

Each runs as the job's owner: it fetches through for_user(owner) again (a role taken away since
the start closes it) and calls the same service as the page would.
"""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clues.exports import clues_workbook
from clues.models import LetterReply
from clues.selectors.registry import ClueFilters, clue_registry
from clues.services import letters, registry, replies
from core.jobs import GeneratedFile, Outcome, Progress, register_job
from core.models import Job
from inspection.models import InspectionRound

ACCEPT_REPLY = "clues.accept_reply"
APPROVE_LETTERS = "clues.approve_letters"
EXPORT_CLUES = "clues.export_clues"


def accept_reply(job: Job, progress: Progress) -> Outcome:
    """All the answer's clues or none (replies.accept_reply is one transaction)."""
    reply = (
        LetterReply.objects.for_user(job.owner, "review").select_related("letter").filter(pk=job.args["reply"]).first()
    )
    if reply is None:
        raise ValidationError(_("This answer is no longer open to you."))
    progress.set_total(replies.rows_to_register(reply))
    replies.accept_reply(reply=reply, by=job.owner, progress=progress.advance)
    return Outcome(
        message=_("Answer accepted; %(count)s clues registered.") % {"count": progress.done},
        url=reverse("clues:letter-detail", args=[reply.letter_id]),
    )


def approve_letters(job: Job, progress: Progress) -> Outcome:
    """Each letter in its own transaction, as the page does: a run interrupted and run again
    approves the letters still awaiting approval, never one twice."""
    inspection_round = InspectionRound.objects.for_user(job.owner).filter(pk=job.args["round"]).first()
    if inspection_round is None or not job.owner.has_perm("clues.approve_inforequestletter"):
        raise ValidationError(_("This round is no longer open to you."))
    progress.set_total(letters.awaiting_approval(inspection_round).count())
    count = letters.approve_and_send_all(
        inspection_round=inspection_round, by=job.owner, progress=lambda n: progress.advance(n, every=1)
    )
    return Outcome(
        message=_("%(count)s letters approved and sent.") % {"count": count},
        url=reverse("clues:round-letters", args=[inspection_round.pk]),
    )


def export_clues(job: Job, progress: Progress) -> Outcome:
    """The registry under the filters of the page it was started from, as its owner may see it."""
    if not job.owner.has_perm("clues.export_clue"):
        raise ValidationError(_("Exporting the clue registry is no longer open to you."))
    # The owner stands in for the request: the drop-downs name what the owner may see.
    filters = ClueFilters.from_query(QueryDict(job.args.get("query", "")), request=SimpleNamespace(user=job.owner))
    data, count = clues_workbook(
        clue_registry(job.owner, filters),
        watermark=job.watermark,
        filters=filters.describe(),
        progress=progress.advance,
    )
    registry.record_export(user=job.owner, count=count, filters=filters.as_query())
    return Outcome(
        message=_("%(count)s clues exported.") % {"count": count},
        file=GeneratedFile(data, _("clues.xlsx")),
    )


def register() -> None:
    register_job(ACCEPT_REPLY, accept_reply, label=gettext_lazy("Accepting an answer"))
    register_job(APPROVE_LETTERS, approve_letters, label=gettext_lazy("Approving and sending letters"))
    register_job(EXPORT_CLUES, export_clues, label=gettext_lazy("Clue registry export"))
