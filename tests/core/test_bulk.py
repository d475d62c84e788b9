"""core.bulk writes exactly what the ORM would, on SQLite and on PostgreSQL (COPY)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core.bulk import _COPY_READ, ReadAhead, insert_rows, insert_values
from core.models import AuditLog, Notification
from tests.conftest import make_user

TRICKY = "制表\t换行\n回车\r反斜杠\\N 引号\"' 结尾\\"


def test_text_with_tabs_newlines_and_backslashes_round_trips(db):
    user = make_user("reader")
    written = insert_rows(
        Notification,
        [Notification(recipient=user, title=TRICKY, body="", url="/x/"), Notification(recipient=user, title="二")],
    )
    assert written == 2
    first, second = Notification.objects.order_by("pk")
    assert first.title == TRICKY
    assert first.read_at is None
    assert first.created_at is not None  # auto_now_add applied
    assert second.title == "二"


def test_json_nulls_and_booleans_round_trip(db):
    ct = ContentType.objects.get_for_model(Notification)
    changes = {"text": TRICKY, "list": [1, None, True], "nested": {"名": "值\\"}}
    insert_rows(
        AuditLog,
        [
            AuditLog(
                action="create", content_type=ct, object_id="1", object_repr="x", changes=changes, user=None, ip=None
            )
        ],
    )
    row = AuditLog.objects.get()
    assert row.changes == changes
    assert row.user is None
    assert row.ip is None


def test_many_rows_in_several_batches(db):
    user = make_user("many")
    insert_rows(Notification, (Notification(recipient=user, title=f"第{n}条") for n in range(25)), batch_size=10)
    assert sorted(Notification.objects.values_list("title", flat=True)) == sorted(f"第{n}条" for n in range(25))


def test_values_of_a_generator_stream_in_batches_larger_than_one_read(db):
    # COPY reads a batch _COPY_READ characters at a time while the generator makes its rows: every
    # row arrives once and in order, across reads and across lazy batches (one of two reads, then the remainder).
    user = make_user("streamed")
    titles = [f"第{n}条" + "长" * 190 for n in range(800)]
    assert sum(map(len, titles[:500])) > _COPY_READ
    written = insert_values(Notification, ("recipient", "title"), ((user.pk, t) for t in titles), batch_size=500)
    assert written == 800
    assert list(Notification.objects.order_by("pk").values_list("title", flat=True)) == titles


def test_values_escaped_only_where_a_row_needs_it(db):
    # COPY lines are joined as they are unless a value holds a tab, line break or backslash
    # (core.bulk._copy_line): a null, a text that reads like one, JSON with every such character.
    from django.utils import timezone

    ct = ContentType.objects.get_for_model(Notification)
    now = timezone.now()
    rows = [
        (now, "create", ct.pk, "1", "平常的文字", {"名": "值"}, "", None),
        (now, "create", ct.pk, "2", TRICKY, {"text": TRICKY, "list": [1, None, True]}, "\\N", None),
        (now, "create", ct.pk, "3", "\\N", {"n": "\\N\t"}, "a\\b", "127.0.0.1"),
        (now, "create", ct.pk, "4", "末行", [], "\t", None),
        (now, "create", ct.pk, "5", "\\", [], "", None),
    ]
    names = ("at", "action", "content_type", "object_id", "object_repr", "changes", "username", "ip")
    assert insert_values(AuditLog, names, rows) == len(rows)
    read = list(AuditLog.objects.order_by("object_id").values_list("object_repr", "changes", "username", "ip"))
    assert read == [row[4:] for row in rows]


def test_meanwhile_runs_once_per_row_copied(db):
    from django.db import connection

    user = make_user("meanwhile")
    calls = []
    insert_values(
        Notification, ("recipient", "title"), [(user.pk, str(n)) for n in range(7)], meanwhile=lambda: calls.append(1)
    )
    assert len(calls) == (7 if connection.vendor == "postgresql" else 0)


def test_read_ahead_gives_every_item_once_in_order_and_defers_errors():
    def items():
        yield from range(5)
        raise ValueError("part-way")

    ahead = ReadAhead(items(), limit=3)
    for _ in range(10):
        ahead.step()  # at most three read ahead
    assert [next(ahead) for _ in range(4)] == [0, 1, 2, 3]
    third = ahead.every(3)
    third()
    third()
    third()  # the third call reads item 4 ahead
    assert next(ahead) == 4
    ahead.step()  # the error is kept for the caller, not raised here
    with pytest.raises(ValueError, match="part-way"):
        next(ahead)
