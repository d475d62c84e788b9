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
from clues.models import Clue, InfoRequestLetter, LetterReply
from clues.selectors.registry import ClueFilters, clue_registry
from clues.services import letters, registry, replies, screening
from core.jobs import GeneratedFile, Outcome, Progress, register_job
from core.models import Job
from inspection.models import InspectionRound

ACCEPT_REPLY = "clues.accept_reply"
APPROVE_LETTERS = "clues.approve_letters"
EXPORT_CLUES = "clues.export_clues"
BULK_LETTERS = "clues.bulk_letters"
GRADE_CLUES = "clues.grade_clues"
HAND_OVER_CLUES = "clues.hand_over_clues"


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


def bulk_letters(job: Job, progress: Progress) -> Outcome:
    """The letters ticked on the board, submitted or approved one by one as the page would; the
    refused ones are listed in the outcome. Run again, the moved letters are refused as moved."""
    action = job.args["action"]
    perm = {letters.BULK_SUBMIT: "change", letters.BULK_APPROVE: "approve"}[action]
    ticked = list(
        InfoRequestLetter.objects.for_user(job.owner, perm)
        .filter(inspection_round_id=job.args["round"], pk__in=job.args["letters"])
        .select_related("partner__org_unit")
        .order_by("partner__sort_order", "kind", "pk")
    )
    if not ticked:
        raise ValidationError(_("These letters are no longer open to you."))
    progress.set_total(len(ticked))
    outcome = letters.act_on_letters(
        action=action, letters=ticked, by=job.owner, progress=lambda n: progress.advance(n, every=1)
    )
    message = _("%(count)s letters done.") % {"count": len(outcome.done)}
    refusals = [
        _("%(letter)s was not done: %(reasons)s")
        % {"letter": letters.letter_label(letter), "reasons": "；".join(problems)}
        for letter, problems in outcome.refused
    ]
    return Outcome(
        message=" ".join([message, *refusals]),
        url=reverse("clues:round-letters", args=[job.args["round"]]),
    )


def _ticked_clues(job: Job) -> list[Clue]:
    if not job.owner.has_perm("clues.change_clue"):
        raise ValidationError(_("These clues are no longer open to you."))
    clues = list(Clue.objects.for_user(job.owner, "change").filter(pk__in=job.args["clues"]).order_by("code"))
    if len(clues) != len(job.args["clues"]):
        raise ValidationError(_("These clues are no longer open to you."))
    return clues


def grade_clues(job: Job, progress: Progress) -> Outcome:
    """The ticked clues graded one by one (screening.grade_many); the refused listed in the outcome."""
    clues = _ticked_clues(job)
    progress.set_total(len(clues))
    outcome = screening.grade_many(
        clues=clues,
        by=job.owner,
        grade=job.args["grade"],
        verifiability=job.args.get("verifiability", ""),
        progress=lambda n: progress.advance(n, every=1),
    )
    refusals = [
        _("Clue %(code)s was not graded: %(reasons)s") % {"code": clue.code, "reasons": "；".join(problems)}
        for clue, problems in outcome.refused
    ]
    message = _("%(count)s clues graded.") % {"count": len(outcome.done)}
    return Outcome(message=" ".join([message, *refusals]), url=reverse("clues:clue-list"))


def hand_over_clues(job: Job, progress: Progress) -> Outcome:
    """All the ticked clues handed over or none (screening.hand_over is one transaction); run
    again after it committed, the moved clues refuse it and nothing moves twice."""
    clues = _ticked_clues(job)
    progress.set_total(len(clues))
    handed = screening.hand_over(clues=clues, by=job.owner)
    progress.advance(len(handed))
    return Outcome(
        message=_("%(count)s clues handed to their groups.") % {"count": len(handed)}, url=reverse("clues:clue-list")
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
    register_job(BULK_LETTERS, bulk_letters, label=gettext_lazy("Submitting or approving letters"))
    register_job(GRADE_CLUES, grade_clues, label=gettext_lazy("Grading clues"))
    register_job(HAND_OVER_CLUES, hand_over_clues, label=gettext_lazy("Handing clues over"))
    register_job(EXPORT_CLUES, export_clues, label=gettext_lazy("Clue registry export"))
