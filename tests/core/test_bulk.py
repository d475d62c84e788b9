"""core.bulk writes exactly what the ORM would, on SQLite and on PostgreSQL (COPY)."""

from django.contrib.contenttypes.models import ContentType

from core.bulk import _COPY_READ, insert_rows, insert_values
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
