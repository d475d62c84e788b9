"""Two workers delivering two different records of one kind at once: neither is skipped.

Found by tests/core/test_worker_killed.py (a real worker, concurrency 2): core.delivery.deliver
claimed its row with select_for_update(skip_locked=True).select_related("target_type"), and on
PostgreSQL that locked the joined django_content_type row as well (Django locks every
select_related table unless of=("self",) is given). While one worker was inside a letter's
delivery, every other worker's claim of ANY letter's row skipped it, and the letter waited for
the next core.sweep_deliveries. The claim now locks its own row only.
"""

import threading

import pytest
from django.conf import settings
from django.db import connections

from core import delivery
from core.models import Delivery
from tests.core.test_delivery import KINDS, _made_but_not_published, _row
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401
from tests.talentpool.secondment_fixtures import sec_world  # noqa: F401


@pytest.fixture
def everyone(sec_world, liaison_world):  # noqa: F811 - fixtures
    return liaison_world


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite lets one writer at a time in (IMMEDIATE transactions): two workers cannot overlap",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_delivery_in_progress_does_not_make_another_worker_skip_a_different_record(everyone):
    first = _made_but_not_published(KINDS["handover"], everyone)
    second = _made_but_not_published(KINDS["handover"], everyone)
    inside, release = threading.Event(), threading.Event()
    result: list[bool] = []

    def hold(label: str, step: str) -> None:
        if threading.current_thread().name == "holder" and step == "done":
            inside.set()
            release.wait(30)

    def holder() -> None:
        try:
            result.append(delivery.deliver(_row(first).pk))
        finally:
            connections.close_all()  # this thread's own connection

    delivery.before_step = hold
    thread = threading.Thread(target=holder, name="holder")
    thread.start()
    try:
        assert inside.wait(30), "the first delivery never reached its last step"
        # The first worker is mid-delivery, holding its own row; the second record is free.
        other = delivery.deliver(_row(second).pk)
    finally:
        release.set()
        thread.join(60)
        delivery.before_step = None
    assert result == [True]
    assert _row(second).state == Delivery.State.DONE
    assert other is True
