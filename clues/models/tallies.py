"""Counter tables behind the dashboard and the funnel (issue 16 item 3): figures that do not rescan clues.

Each row counts the clues of one bucket; clues.tallies keeps them equal to a full recount, in the
transaction of every write that moves a clue between buckets. The keys are plain integers, not
foreign keys, and 0 stands for "no partner": the counters are upserted with
`INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n`, which needs a unique key with no
NULL in it (NULLs never conflict) on SQLite and PostgreSQL alike. Rows may hold 0; readers skip them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClueTally(models.Model):
    """Clues per round, group, source partner, source, status and whether they are transferred (§4.1 #9)."""

    round_pk = models.PositiveIntegerField(_("round"))
    group_pk = models.PositiveIntegerField(_("group"))
    # 0: no source partner.
    partner_pk = models.PositiveIntegerField(_("partner unit"))
    source_type = models.CharField(_("source"), max_length=30)
    status = models.CharField(_("status"), max_length=30)
    # In a sent transfer to anyone but the inspected unit (clues.selectors.registry.transferred_clues).
    transferred = models.BooleanField(_("transferred"))
    n = models.IntegerField(_("clues"), default=0)

    class Meta:
        verbose_name = _("clue count")
        verbose_name_plural = _("clue counts")
        constraints = [
            models.UniqueConstraint(
                fields=["round_pk", "group_pk", "partner_pk", "source_type", "status", "transferred"],
                name="clue_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_pk}/{self.group_pk}/{self.partner_pk}/{self.source_type}/{self.status}: {self.n}"


class ClueCategoryTally(models.Model):
    """Clues per round, problem category and status; a clue with two categories counts under both."""

    round_pk = models.PositiveIntegerField(_("round"))
    category = models.CharField(_("problem category"), max_length=40)
    status = models.CharField(_("status"), max_length=30)
    n = models.IntegerField(_("clues"), default=0)

    class Meta:
        verbose_name = _("clue count by category")
        verbose_name_plural = _("clue counts by category")
        constraints = [
            models.UniqueConstraint(fields=["round_pk", "category", "status"], name="clue_category_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.round_pk}/{self.category}/{self.status}: {self.n}"


class ClueReceiverTally(models.Model):
    """Transferred clues per receiver and status: the funnel's "by receiver" rows."""

    receiver_pk = models.PositiveIntegerField(_("receiver"))
    status = models.CharField(_("status"), max_length=30)
    n = models.IntegerField(_("clues"), default=0)

    class Meta:
        verbose_name = _("clue count by receiver")
        verbose_name_plural = _("clue counts by receiver")
        constraints = [models.UniqueConstraint(fields=["receiver_pk", "status"], name="clue_receiver_tally_key")]

    def __str__(self) -> str:
        return f"{self.receiver_pk}/{self.status}: {self.n}"


class ClueTransferTally(models.Model):
    """Clues per transfer letter and status: the transfer ledger's counts and a transfer's page.

    Issue 16: the ledger counted every item of each of its rows (joined to the clue for its
    status) at every view, over a second at 3,400 clues a letter; these rows are a few per letter.
    """

    transfer_pk = models.PositiveIntegerField(_("transfer"))
    status = models.CharField(_("status"), max_length=30)
    n = models.IntegerField(_("clues"), default=0)

    class Meta:
        verbose_name = _("clue count by transfer")
        verbose_name_plural = _("clue counts by transfer")
        constraints = [models.UniqueConstraint(fields=["transfer_pk", "status"], name="clue_transfer_tally_key")]

    def __str__(self) -> str:
        return f"{self.transfer_pk}/{self.status}: {self.n}"
