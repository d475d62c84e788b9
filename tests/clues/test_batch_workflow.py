"""A staged workbook's moves (issue 13 item 1): superseded or committed through core.transitions, audited, once."""

import pytest
from django.core.exceptions import ValidationError

from clues.models import ClueImportBatch
from clues.services import importing, replies
from core import transitions
from core.audit import history
from core.models import AuditLog
from tests.clues.test_replies import good_rows, workbook

B = ClueImportBatch.Status
pytestmark = pytest.mark.django_db


def _moves(batch: ClueImportBatch) -> list[list[str]]:
    entries = history(batch).filter(action=AuditLog.Action.TRANSITION).order_by("pk")
    return [entry.changes["status"] for entry in entries]


def test_a_corrected_upload_supersedes_the_batch_through_its_transition(world, sent):
    partner = world.users["partner_x"]
    first = replies.upload_workbook(letter=sent["x"], by=partner, upload=workbook(good_rows(2)), name="a.xlsx")
    replies.upload_workbook(letter=sent["x"], by=partner, upload=workbook(good_rows(2)), name="b.xlsx", replaces=first)
    first.refresh_from_db()
    assert first.status == B.SUPERSEDED
    assert _moves(first) == [[B.STAGED, B.SUPERSEDED]]
    assert history(first).filter(action=AuditLog.Action.TRANSITION).get().user == partner


def test_a_batch_commits_once_and_a_committed_one_is_never_replaced(world, sent):
    partner = world.users["partner_x"]
    batch = replies.upload_workbook(letter=sent["x"], by=partner, upload=workbook(good_rows(2)), name="a.xlsx")
    assert importing.commit_batch(batch=batch, by=None) == 2
    batch.refresh_from_db()
    assert batch.status == B.COMMITTED
    assert batch.committed_at is not None
    assert _moves(batch) == [[B.STAGED, B.COMMITTED]]
    with pytest.raises(ValidationError):
        importing.commit_batch(batch=batch, by=None)
    with pytest.raises(ValidationError):
        importing.supersede(batch=batch)
    with pytest.raises(ValidationError):
        transitions.perform(batch, "supersede", by=None)  # the transition itself refuses it too
    assert _moves(batch) == [[B.STAGED, B.COMMITTED]]


def test_an_invalid_batch_cannot_be_committed(world, sent):
    partner = world.users["partner_x"]
    rows = good_rows(1)
    rows[0][1] = "不存在的单位"  # a unit the letter does not name
    bad = replies.upload_workbook(letter=sent["x"], by=partner, upload=workbook(rows), name="a.xlsx")
    assert bad.status == B.INVALID
    with pytest.raises(ValidationError):
        transitions.perform(bad, "commit", by=None)
    assert transitions.perform(bad, "supersede", by=partner).status == B.SUPERSEDED
