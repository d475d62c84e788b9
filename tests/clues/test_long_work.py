"""Clues' long work through core.jobs: a large answer accepted by the worker (all or none), many
letters approved by the worker, a large registry export made by the worker (issue 12 item 4).

On the `db` fixture on-commit callbacks never run, so a started job stays queued until the test
runs it as a worker would (jobs.run_job); tests/core/test_jobs.py covers publishing and the sweep.
"""

import io

import openpyxl
import pytest
from django.urls import reverse

from clues import jobs as clue_jobs
from clues.models import Clue, ClueImportBatch, InfoRequestLetter, LetterReply
from clues.services import importing, letters, replies
from core import jobs
from core.models import Job
from tests.clues.test_replies import HEADERS, cover_letter, good_rows, workbook
from tests.helpers import download, logged_in, seen_elsewhere, unpublished

ROWS = 20_000


def large_workbook(rows: int) -> io.BytesIO:
    """A partner workbook of `rows` clean rows, written streaming (write_only) to stay quick."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("问题线索")
    sheet.append(["关于提供被巡察单位问题线索情况统计表"])
    sheet.append(["填报单位(盖章):", "协作单位X"])
    sheet.append(HEADERS)
    names = ["张三", "李四", "王五", "赵六"]
    for i in range(rows):
        sheet.append(
            [
                i + 1,
                "被巡察单位A",
                names[i % 4],
                "科长",
                "廉洁纪律",
                f"反映其收受好处费第{i}次。",
                "信访举报",
                "2017年7月3日",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _submitted(world, letter, upload) -> LetterReply:
    partner = world.users["partner_x"]
    batch = replies.upload_workbook(letter=letter, by=partner, upload=upload, name="线索.xlsx")
    assert batch.status == ClueImportBatch.Status.STAGED
    cover_letter(letter, partner)
    return replies.submit_reply(letter=letter, by=partner)


def _started_job(response) -> Job:
    assert response.status_code == 302
    job = Job.objects.get()
    assert response.url == reverse("core:job", args=[job.pk])
    assert job.status == Job.Status.QUEUED
    return job


def test_a_large_answer_is_accepted_through_the_job_with_its_progress(world, sent, settings):
    settings.JOB_PROGRESS_EVERY_ROWS = 5000
    reply = _submitted(world, sent["x"], large_workbook(ROWS))
    custodian = world.users["clue_custodian"]
    client = logged_in(custodian)

    # The request only starts the job: nothing is registered yet.
    job = _started_job(client.post(reverse("clues:reply-accept", args=[reply.pk])))
    assert job.owner == custodian
    assert not Clue.objects.exists()
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 200

    written = []
    jobs.on_progress = lambda job_id, done, total: written.append((done, total))
    try:
        assert jobs.run_job(job.pk) is True
    finally:
        jobs.on_progress = None
    assert written[0] == (0, ROWS)
    assert (5000, ROWS) in written
    assert written[-1] == (ROWS, ROWS)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.message == f"回函已接收，登记问题线索 {ROWS} 条。"
    assert job.result_url == reverse("clues:letter-detail", args=[sent["x"].pk])
    assert (job.progress_done, job.progress_total, job.percent) == (ROWS, ROWS, 100)
    assert Clue.objects.count() == ROWS
    assert LetterReply.objects.get(pk=reply.pk).status == LetterReply.Status.ACCEPTED
    page = client.get(reverse("core:job-status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page  # ended: the part stops polling
    assert job.result_url in page


def test_a_failed_acceptance_marks_the_job_failed_and_leaves_the_answer_as_it_was(world, sent, settings, monkeypatch):
    settings.REPLY_ACCEPT_INLINE_MAX_ROWS = 2
    reply = _submitted(world, sent["x"], workbook(good_rows(5)))
    client = logged_in(world.users["clue_custodian"])
    job = _started_job(client.post(reverse("clues:reply-accept", args=[reply.pk])))
    real = importing._clue_from_row
    calls = []

    def fail_on_fourth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_clue_from_row", fail_on_fourth)
    assert jobs.run_job(job.pk) is True
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("处理因错误中止")
    assert "disk full" in job.last_error
    assert job.result_id is None
    # The acceptance is one transaction: nothing of it stays.
    assert not Clue.objects.exists()
    assert LetterReply.objects.get(pk=reply.pk).status == LetterReply.Status.PENDING
    assert ClueImportBatch.objects.get().status == ClueImportBatch.Status.STAGED
    assert InfoRequestLetter.objects.get(pk=sent["x"].pk).status == InfoRequestLetter.Status.ANSWERED
    # Run again, nothing happens: the job has ended.
    assert jobs.run_job(job.pk) is False


def test_an_answer_accepted_meanwhile_fails_the_job_with_the_services_message(world, sent, settings):
    settings.REPLY_ACCEPT_INLINE_MAX_ROWS = 2
    reply = _submitted(world, sent["x"], workbook(good_rows(3)))
    client = logged_in(world.users["clue_custodian"])
    job = _started_job(client.post(reverse("clues:reply-accept", args=[reply.pk])))
    replies.accept_reply(reply=reply, by=world.users["clue_custodian"])
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "该回函不在待审核状态，可能已被他人处理。"
    assert Clue.objects.count() == 3


def test_a_small_answer_is_still_accepted_in_the_request(world, sent):
    reply = _submitted(world, sent["x"], workbook(good_rows(3)))
    response = logged_in(world.users["clue_custodian"]).post(reverse("clues:reply-accept", args=[reply.pk]))
    assert response.status_code == 302
    assert not Job.objects.exists()
    assert Clue.objects.count() == 3


def test_approving_many_letters_runs_in_the_worker_with_progress(world, drafts, settings):
    settings.BULK_INLINE_MAX_ITEMS = 1
    for letter in drafts.values():
        letters.submit_for_approval(letter=letter, by=world.users["office_staff"])
    head = world.users["office_head"]
    job = _started_job(logged_in(head).post(reverse("clues:round-letters-approve", args=[world.round.pk])))
    assert InfoRequestLetter.objects.filter(status=InfoRequestLetter.Status.SENT).count() == 0
    written = []
    jobs.on_progress = lambda job_id, done, total: written.append((done, total))
    try:
        jobs.run_job(job.pk)
    finally:
        jobs.on_progress = None
    assert written == [(0, 2), (1, 2), (2, 2)]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.message == "已审批并发出 2 份函件。"
    assert InfoRequestLetter.objects.filter(status=InfoRequestLetter.Status.SENT).count() == 2


def test_a_large_registry_export_is_made_by_the_worker_for_its_owner(world, sent, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    reply = _submitted(world, sent["x"], workbook(good_rows(3)))
    replies.accept_reply(reply=reply, by=world.users["clue_custodian"])
    head = world.users["office_head"]
    client = logged_in(head)
    url = reverse("clues:clue-export") + f"?unit={world.unit_a.pk}"

    offer = client.get(url)  # a link never starts work: it offers the button
    assert offer.status_code == 200
    assert "3" in offer.content.decode()
    assert not Job.objects.exists()

    job = _started_job(client.post(url))
    assert job.kind == clue_jobs.EXPORT_CLUES
    assert job.args == {"query": f"unit={world.unit_a.pk}"}
    assert job.progress_total == 3
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result.sealed
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, job)), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert "被巡察单位A" in values[0][0]  # the title row names the filter the job was started with
    assert head.username in values[1][0]  # the owner's watermark, taken when the job started
    assert len(values) == 3 + 3


@pytest.mark.parametrize("key", ["office_staff", "partner_x", "outsider"])
def test_who_may_not_export_the_registry_starts_no_job(world, settings, key):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    assert logged_in(world.users[key]).post(reverse("clues:clue-export")).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_count_of_an_acceptance_is_seen_while_its_transaction_is_open(world, sent, settings):
    """PostgreSQL: written through a second connection, so the page sees it before the commit.
    SQLite: the acceptance's transaction holds the only write lock, so the page sees the total
    (written before it began) and the count once it commits."""
    settings.JOB_PROGRESS_EVERY_ROWS = 1000
    reply = _submitted(world, sent["x"], workbook(good_rows(3)))
    custodian = world.users["clue_custodian"]
    job = unpublished(lambda: jobs.start_job(clue_jobs.ACCEPT_REPLY, by=custodian, reply=reply.pk))
    seen = []

    def look(job_id, done, total):
        if done == 3:
            seen.append(seen_elsewhere(job_id))

    jobs.on_progress = look
    try:
        assert jobs.run_job(job.pk)
    finally:
        jobs.on_progress = None
    written_aside = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    assert seen == [(Job.Status.RUNNING, 3 if written_aside else 0, 3)]
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
    assert Clue.objects.count() == 3
