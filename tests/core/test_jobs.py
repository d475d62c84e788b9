"""core.jobs: long work runs once in a worker, shows its progress to its owner only, survives a
broker outage and a dead worker through the sweep, and fails with a message (issue 12 item 4).

A test kind counts its runs and its rows; the apps' kinds are tested in their own folders
(tests/clues/test_long_work.py, tests/reports/test_report_jobs.py).
"""

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from core import jobs
from core.models import Job, StoredFile
from tests.conftest import World, assert_matrix, role_keys
from tests.core.test_enqueue import DEAD_BROKER, DEAD_OPTIONS, _use_broker, real_broker  # noqa: F401
from tests.helpers import download, logged_in, seen_elsewhere, unpublished

KIND = "tests.count"
runs: list[int] = []


def count_rows(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    runs.append(job.pk)
    if job.args.get("refuse"):
        raise ValidationError("不能处理：测试拒绝。")
    if job.args.get("crash"):
        raise RuntimeError("boom")
    rows = job.args.get("rows", 0)
    progress.set_total(rows)
    for _row in range(rows):
        if job.args.get("slow"):
            threading.Event().wait(0.001)  # widen the window in which a second worker could run it
        progress.advance()
    content = f"{job.watermark}\n{rows}".encode()
    return jobs.Outcome(message=f"已处理{rows}行。", file=jobs.GeneratedFile(content, "结果.txt", kind="text"))


@pytest.fixture(autouse=True)
def test_kind() -> Iterator[None]:
    jobs.register_job(KIND, count_rows, label="测试")
    runs.clear()
    yield
    jobs._KINDS.pop(KIND, None)
    jobs.on_progress = None


def test_a_job_runs_its_kind_and_keeps_its_file_for_the_owner(world: World) -> None:
    owner = world.users["office_staff"]
    job = jobs.start_job(KIND, by=owner, rows=3)
    assert job.status == Job.Status.QUEUED
    assert owner.username in job.watermark  # taken at the start, for the owner
    assert jobs.run_job(job.pk) is True
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.message == "已处理3行。"
    assert (job.progress_done, job.progress_total, job.attempts) == (3, 3, 1)
    assert job.started_at <= job.finished_at
    stored = job.result
    assert stored.sealed
    assert stored.uploaded_by == owner
    assert stored.owner == job
    assert download(logged_in(owner), job) == f"{job.watermark}\n3".encode()


def test_a_second_message_for_the_same_job_does_nothing(world: World) -> None:
    job = jobs.start_job(KIND, by=world.users["office_staff"], rows=1)
    assert jobs.run_job(job.pk) is True
    assert jobs.run_job(job.pk) is False
    assert runs == [job.pk]
    assert StoredFile.objects.count() == 1


def test_progress_is_written_every_n_rows_and_at_the_end(world: World, settings) -> None:
    settings.JOB_PROGRESS_EVERY_ROWS = 1000
    job = jobs.start_job(KIND, by=world.users["office_staff"], rows=2500)
    written = []
    jobs.on_progress = lambda job_id, done, total: written.append((done, total))
    jobs.run_job(job.pk)
    assert written == [(0, 2500), (1000, 2500), (2000, 2500), (2500, 2500)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_to_the_page_while_the_job_runs(world: World, settings) -> None:
    settings.JOB_PROGRESS_EVERY_ROWS = 10
    job = unpublished(lambda: jobs.start_job(KIND, by=world.users["office_staff"], rows=30))
    seen = []

    def look(job_id: int, done: int, total: int | None) -> None:
        if done == 20:
            seen.append(seen_elsewhere(job_id))

    jobs.on_progress = look
    assert jobs.run_job(job.pk)
    assert seen == [(Job.Status.RUNNING, 20, 30)]


def test_a_refusal_fails_the_job_with_its_message(world: World) -> None:
    job = jobs.start_job(KIND, by=world.users["office_staff"], refuse=True)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message, job.result_id) == (Job.Status.FAILED, "不能处理：测试拒绝。", None)
    assert job.finished_at is not None


def test_an_error_fails_the_job_with_a_chinese_message_and_logs_it(world: World, caplog) -> None:
    job = jobs.start_job(KIND, by=world.users["office_staff"], crash=True)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("处理因错误中止")
    assert "boom" in job.last_error
    assert "failed" in caplog.text


def test_a_job_of_an_unknown_kind_fails(world: World) -> None:
    job = jobs.start_job(KIND, by=world.users["office_staff"])
    Job.objects.filter(pk=job.pk).update(kind="gone.kind")
    jobs.run_job(job.pk)
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_a_worker_that_died_leaves_the_job_to_the_sweep_which_runs_it_again(world: World) -> None:
    job = jobs.start_job(KIND, by=world.users["office_staff"], rows=2)
    started = timezone.now()
    # Claimed by a worker that then vanished: running, attempts 1, nothing else.
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=1, started_at=started, retry_at=jobs._lease_end(started)
    )
    assert jobs.sweep() == 0  # still within its lease: maybe it is only slow
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING

    later = started + timedelta(seconds=settings.JOB_TIME_LIMIT_SECONDS + 61)
    assert jobs.sweep(now=later) == 1  # the task runs eagerly in the test settings
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == (Job.Status.DONE, 2, "已处理2行。")
    assert runs == [job.pk]


def test_a_job_interrupted_too_often_is_given_up(world: World, settings) -> None:
    job = jobs.start_job(KIND, by=world.users["office_staff"], rows=2)
    started = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=settings.JOB_MAX_ATTEMPTS, started_at=started, retry_at=started
    )
    jobs.sweep(now=started + timedelta(seconds=1))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith(f"处理被中断{settings.JOB_MAX_ATTEMPTS}次")
    assert runs == []


def test_a_run_that_outlived_its_lease_cannot_finish_the_job(world: World) -> None:
    """The fencing token: a later claim owns the job; the stale run's file is discarded."""
    job = jobs.start_job(KIND, by=world.users["office_staff"], rows=1)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    # As if the job were claimed again meanwhile (attempt 2) while attempt 1 was still finishing.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=2, result=None)
    stale = jobs.Outcome("旧的", jobs.GeneratedFile(b"old", "old.txt", kind="text"))
    jobs._end(job, 1, Job.Status.DONE, outcome=stale, done=1)
    job.refresh_from_db()
    assert (job.status, job.result_id) == (Job.Status.RUNNING, None)
    assert StoredFile.objects.filter(original_name="old.txt").count() == 0


def test_a_broker_outage_leaves_the_job_queued_and_the_sweep_runs_it_later(
    world: World,
    real_broker,  # noqa: F811 - fixture
    django_capture_on_commit_callbacks,
) -> None:
    owner = world.users["office_staff"]
    _use_broker(DEAD_BROKER, DEAD_OPTIONS)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(KIND, by=owner, rows=2)  # did not raise
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.retry_at <= timezone.now()  # due for the next sweep at once
    assert jobs.sweep() == 0  # the broker is still down: nothing published, nothing lost
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    assert runs == []

    # The broker is back (eager here: the task runs as the sweep publishes it).
    _use_broker(None, {})
    celery_app.conf.task_always_eager = True
    assert jobs.sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 1)


def test_the_sweep_publishes_a_queued_job_only_after_its_wait(world: World, settings) -> None:
    job = jobs.start_job(KIND, by=world.users["office_staff"], rows=1)  # its task "lost" (no commit here)
    assert jobs.sweep() == 0
    assert jobs.sweep(now=timezone.now() + timedelta(seconds=settings.JOB_REPUBLISH_SECONDS + 1)) == 1
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_runs_once_when_two_workers_race(world: World) -> None:
    owner = world.users["office_staff"]
    ids = unpublished(lambda: [jobs.start_job(KIND, by=owner, rows=50, slow=True).pk for _ in range(4)])
    start = threading.Barrier(2)
    won: list[bool] = []

    def worker() -> None:
        try:
            start.wait()
            for job_id in ids:
                won.append(jobs.run_job(job_id))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert won.count(True) == len(ids)
    assert sorted(runs) == sorted(ids)
    assert set(Job.objects.values_list("status", "attempts")) == {(Job.Status.DONE, 1)}
    assert StoredFile.objects.count() == len(ids)


def test_the_job_page_its_status_and_its_file_are_the_owners_only(world: World) -> None:
    job = jobs.start_job(KIND, by=world.users["member_a"], rows=1)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    for name, args in (
        ("core:job", [job.pk]),
        ("core:job-status", [job.pk]),
        ("core:file-download", [job.result_id]),
    ):
        assert_matrix(world, reverse(name, args=args), role_keys("member_a"))


def test_an_active_job_polls_and_an_ended_one_does_not(world: World) -> None:
    owner = world.users["office_staff"]
    job = jobs.start_job(KIND, by=owner, total=4, rows=4)
    client = logged_in(owner)
    part = client.get(reverse("core:job-status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in part
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress_done=1)
    part = client.get(reverse("core:job-status", args=[job.pk])).content.decode()
    assert '<progress value="1" max="4">' in part
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    jobs.run_job(job.pk)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page
    assert reverse("core:file-download", args=[Job.objects.get(pk=job.pk).result_id]) in page
