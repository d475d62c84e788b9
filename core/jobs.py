"""Long work as a background job with a progress page (issue 12 item 4).

Accepting a large answer, approving a round's letters, an export of many rows, the report
workbook: a page calls start_job(kind, by=user, ...) and shows /jobs/<id>/, whose status part
polls (htmx) until the job is done and then shows its message and its file. The request only
writes the Job row and publishes its task after commit, so a 100,000-row workbook is accepted
however long the commit takes, and a broker outage still answers the page (the job waits queued).

A worker claims the job with a conditional UPDATE (queued -> running, attempts + 1): of two
workers given the same job, one runs it and the other returns. The claim commits before the
work, so the page sees "running" and the progress; the work itself keeps its own transactions
(an answer's acceptance is one: all clues or none). A claim is a lease: a job still running
JOB_TIME_LIMIT_SECONDS (the task's hard time limit) plus a minute after its claim has lost its
worker, and the sweep queues it again, JOB_MAX_ATTEMPTS times at most; the attempt count is
the fencing token, so only the latest claim may finish the job. Every kind is safe to run
again: its domain guards (an answer already accepted, a letter already sent) skip what a lost
run has done, and an export simply makes its file again.

Failures: a ValidationError's message (the service's own, in Chinese) is the job's message; any
other error is logged and the job says it failed, and that what it had not finished is as it
was. The sweep (beat, every minute) publishes queued jobs whose task never left (the broker was
down) or was lost, like core.delivery's sweep.

Apps register their kinds from AppConfig.ready (register_job in an app's jobs.py); core imports
no app. A file the job makes is stored sealed in private storage, owned by the job (so only its
owner downloads it, through core.views.file_download) and watermarked for the owner at the
moment the job was started.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.enqueue import publish
from core.files import private_storage, store_generated
from core.models import Job, StoredFile, User
from core.watermark import watermark_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GeneratedFile:
    """A file a job made, to keep in private storage and offer on the job's page."""

    content: bytes
    filename: str
    kind: str = "xlsx"


@dataclass(frozen=True)
class Outcome:
    """How a job ended: the message its page shows, its file, the page to go on to."""

    message: str
    file: GeneratedFile | None = None
    url: str = ""


class Progress:
    """Counts a job's rows and writes the count to its row at most every `every` rows.

    Inside the work's own transaction (an answer's acceptance) the count cannot go through that
    transaction, which nobody sees before it commits: on PostgreSQL it goes through a second
    connection of this process; on SQLite, where the work's transaction holds the only write
    lock, it appears when the transaction ends.
    """

    def __init__(self, job: Job, *, token: int) -> None:
        self.job_id = job.pk
        self.token = token
        self.done = 0
        self.total: int | None = job.progress_total
        self._written = 0
        self._side: Any = None

    def set_total(self, total: int) -> None:
        self.total = total
        self._write()

    def advance(self, count: int = 1, *, every: int | None = None) -> None:
        self.done += count
        step = every or settings.JOB_PROGRESS_EVERY_ROWS
        if self.done - self._written >= step or (self.total is not None and self.done >= self.total):
            self._write()

    def _write(self) -> None:
        self._written = self.done
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            if not connection.in_atomic_block:
                Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING, attempts=self.token).update(
                    progress_done=self.done, progress_total=self.total
                )
            elif connection.vendor == "postgresql":
                self._write_aside()
        except DatabaseError:
            # The count is for the page only: a failed write must not fail the work.
            logger.warning("Could not record the progress of job %s.", self.job_id, exc_info=True)
        if on_progress is not None:
            on_progress(self.job_id, self.done, self.total)

    def _write_aside(self) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self._side.ops.quote_name(Job._meta.db_table)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress_done = %s, progress_total = %s "  # noqa: S608 - our own table name
                "WHERE id = %s AND status = %s AND attempts = %s",
                [self.done, self.total, self.job_id, Job.Status.RUNNING.value, self.token],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


Runner = Callable[[Job, Progress], Outcome]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise  # what the job's page calls the work ("Accepting an answer")
    run: Runner


_KINDS: dict[str, JobKind] = {}

# Test-only: called with (job id, done, total) just after the count is written.
on_progress: Callable[[int, int, int | None], None] | None = None


def register_job(name: str, run: Runner, *, label: str | Promise) -> None:
    """Jobs of kind `name` ("clues.accept_reply") run run(job, progress) in a worker, which
    returns an Outcome or raises ValidationError with the message the owner should read."""
    _KINDS[name] = JobKind(name, label, run)


def label_of(kind: str) -> str:
    registered = _KINDS.get(kind)
    return str(registered.label) if registered is not None else kind


def start_job(kind: str, *, by: User, total: int | None = None, **args: Any) -> Job:
    """Write the job (queued, its watermark for `by` taken now) and publish its task after commit.

    `args` must be JSON (ids, not objects). A publish that fails leaves the job queued and due
    for the sweep at once; the request never fails for it.
    """
    if kind not in _KINDS:
        raise LookupError(f"No job kind {kind!r} registered")
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            owner=by,
            args=args,
            progress_total=total,
            watermark=watermark_text(by, now),
            retry_at=now + timedelta(seconds=settings.JOB_REPUBLISH_SECONDS),
        )
        transaction.on_commit(lambda: _publish(job.pk))
    return job


def _publish(job_id: int) -> None:
    from core.tasks import run_job as run_job_task  # here: core.tasks imports this module (cycle)

    if not publish(run_job_task, job_id):
        # The broker is down: due for the next sweep now, not after the usual wait.
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(retry_at=timezone.now())


def _lease_end(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.JOB_TIME_LIMIT_SECONDS + 60)


def run_job(job_id: int) -> bool:
    """Claim a queued job and run it; True if this call ran it, False if another worker has it
    or it has ended (a second message for the same job)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, attempts=F("attempts") + 1, retry_at=_lease_end(now)
    )
    if claimed != 1:
        return False  # another worker got there first, or the job has ended
    job = Job.objects.select_related("owner").get(pk=job_id)
    token = job.attempts
    progress = Progress(job, token=token)
    # Messages are stored, so they are written in the office's language whatever the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            outcome = _KINDS[job.kind].run(job, progress)
        except ValidationError as error:
            _end(job, token, Job.Status.FAILED, message=" ".join(error.messages), error=error)
        except SoftTimeLimitExceeded as error:
            message = _(
                "The work took longer than the time allowed and was stopped. What it had not finished "
                "is as it was before."
            )
            _end(job, token, Job.Status.FAILED, message=message, error=error)
        except (InterfaceError, OperationalError) as error:
            # The database went away: the work's transaction rolled back; try again later.
            logger.warning("Job %s lost its database connection; it is queued again.", job_id, exc_info=True)
            connections[DEFAULT_DB_ALIAS].close()
            _requeue(job, token, error)
        except Exception as error:
            logger.exception("Job %s (%s) failed.", job_id, job.kind)
            message = _(
                "The work stopped because of an error. What it had not finished is as it was before; "
                "you may start it again. If it fails again, tell the system administrator."
            )
            _end(job, token, Job.Status.FAILED, message=message, error=error)
        else:
            try:
                _end(job, token, Job.Status.DONE, outcome=outcome, done=progress.done)
            except Exception as error:  # the result could not be kept (storage full, ...)
                logger.exception("Job %s (%s) could not keep its result.", job_id, job.kind)
                _end(job, token, Job.Status.FAILED, message=_("The result could not be saved."), error=error)
        finally:
            progress.close()
    return True


def _end(
    job: Job,
    token: int,
    status: str,
    *,
    message: str = "",
    outcome: Outcome | None = None,
    done: int = 0,
    error: Exception | None = None,
) -> None:
    stored = None
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "retry_at": None}
    if outcome is not None:
        if outcome.file is not None:
            stored = store_generated(
                content=outcome.file.content,
                name=outcome.file.filename,
                kind=outcome.file.kind,
                uploaded_by=job.owner,
                owner=job,
            )
        message = outcome.message
        fields.update(result=stored, result_url=outcome.url, progress_done=max(done, job.progress_done))
        if job.progress_total is None or done > job.progress_total:
            fields["progress_total"] = done
    if error is not None:
        fields["last_error"] = repr(error)[:2000]
    ended = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=token).update(message=message, **fields)
    if not ended and stored is not None:
        # A later claim owns the job now (this run outlived its lease): its file is the one kept.
        _discard(stored)


def _discard(stored: StoredFile) -> None:
    private_storage().delete(stored.storage_name)
    stored.delete()


def _requeue(job: Job, token: int, error: Exception) -> None:
    try:
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            _end(job, token, Job.Status.FAILED, message=_gave_up(job.attempts), error=error)
            return
        backoff = timedelta(seconds=min(settings.DELIVERY_RETRY_SECONDS * 2 ** (job.attempts - 1), 3600))
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=token).update(
            status=Job.Status.QUEUED, retry_at=timezone.now() + backoff, last_error=repr(error)[:2000]
        )
    except DatabaseError:
        # Still no database: the job stays running until its lease ends and the sweep takes it.
        logger.warning("Could not queue job %s again.", job.pk, exc_info=True)


def _gave_up(attempts: int) -> str:
    return _(
        "The work was interrupted %(count)s times and has been given up. What it had not finished is "
        "as it was before; you may start it again."
    ) % {"count": attempts}


def due_ids(*, now: datetime, limit: int = 200) -> list[int]:
    return list(
        Job.objects.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now), status=Job.Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def sweep(*, now: datetime | None = None) -> int:
    """Queue again the running jobs whose worker is gone (past their lease), and publish the
    queued jobs nobody has claimed in JOB_REPUBLISH_SECONDS (their task never left or was lost).
    Safe to run any number of times at once: a job runs only once per claim. Returns how many
    jobs were published."""
    from core.tasks import run_job as run_job_task  # here: core.tasks imports this module (cycle)

    now = now or timezone.now()
    for pk, attempts in Job.objects.filter(status=Job.Status.RUNNING, retry_at__lte=now).values_list("pk", "attempts"):
        lost = Job.objects.filter(pk=pk, status=Job.Status.RUNNING, attempts=attempts)
        if attempts >= settings.JOB_MAX_ATTEMPTS:
            with translation.override(settings.LANGUAGE_CODE):
                lost.update(status=Job.Status.FAILED, finished_at=now, retry_at=None, message=_gave_up(attempts))
        else:
            lost.update(status=Job.Status.QUEUED, retry_at=now)
    ids = due_ids(now=now)
    published = 0
    for job_id in ids:
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            retry_at=now + timedelta(seconds=settings.JOB_REPUBLISH_SECONDS)
        )
        if not publish(run_job_task, job_id):
            Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(retry_at=now)
            break  # the broker is down: the rest wait for the next sweep
        published += 1
    return published


def recent_for(user: User, limit: int = 10) -> list[Job]:
    """The user's latest jobs, newest first (the job page lists them)."""
    return list(Job.objects.for_user(user).select_related("result")[:limit])
