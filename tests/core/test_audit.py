"""The audit trail (core/audit.py): snapshots and diffs, and that services and admin edits write rows."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.utils import timezone

from core import audit
from core.models import AuditLog, Organisation, User
from inspection import services as rounds
from inspection.models import InspectionRound
from tests.conftest import PASSWORD, make_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db: Any) -> User:
    return make_user("staff", "office_staff")


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser(username="root", email="root@example.gov.cn", password=PASSWORD)


def new_round(by: Any, **fields: Any) -> InspectionRound:
    return rounds.create_round(by=by, committee_term=13, year=2017, round_no=1, title="十三届区委第一轮巡察", **fields)


# ---------------------------------------------------------------- snapshot and diff


def test_snapshot_holds_json_safe_values_of_every_concrete_field(staff: User) -> None:
    inspection_round = new_round(staff, kickoff_date=date(2017, 8, 1))
    values = audit.snapshot(inspection_round)

    assert set(values) == {f.attname for f in InspectionRound._meta.concrete_fields}
    assert values["kickoff_date"] == "2017-08-01"
    assert values["title"] == "十三届区委第一轮巡察"
    assert values["committee_term"] == 13
    assert values["created_by_id"] == staff.pk  # foreign keys by id
    assert values["planned_entry_date"] is None
    assert isinstance(values["created_at"], str)
    datetime.fromisoformat(values["created_at"])  # an ISO timestamp


def test_snapshot_turns_decimals_and_uuids_into_text() -> None:
    class Fake:
        class _meta:  # mimics Model._meta
            concrete_fields = [type("F", (), {"attname": name}) for name in ("amount", "uid", "at")]

    fake = Fake()
    fake.amount = Decimal("12.50")
    fake.uid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    fake.at = datetime(2017, 8, 1, 9, 30, tzinfo=timezone.get_fixed_timezone(480))
    assert audit.snapshot(fake) == {  # type: ignore[arg-type]
        "amount": "12.50",
        "uid": "12345678-1234-5678-1234-567812345678",
        "at": "2017-08-01T09:30:00+08:00",
    }


def test_diff_keeps_only_changed_fields_and_ignores_updated_at() -> None:
    before = {"title": "a", "year": 2017, "updated_at": "2017-08-01T00:00:00", "status": "draft"}
    after = {"title": "b", "year": 2017, "updated_at": "2017-08-02T00:00:00", "status": "draft"}
    assert audit.diff(before, after) == {"title": ["a", "b"]}


def test_diff_from_nothing_lists_every_field_as_new() -> None:
    assert audit.diff({}, {"title": "a", "year": 2017, "note": None}) == {"title": [None, "a"], "year": [None, 2017]}


def test_diff_of_equal_snapshots_is_empty() -> None:
    assert audit.diff({"a": 1}, {"a": 1}) == {}


# ---------------------------------------------------------------- log_change, log_action, history


def test_log_change_records_a_create_with_the_request_address(staff: User) -> None:
    organisation = Organisation.objects.create(name="示范区民政局", short_name="区民政局", unit_type="gov_dept")
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")

    log = audit.log_change(user=staff, obj=organisation, before=None, request=request)

    assert log is not None
    assert log.action == AuditLog.Action.CREATE
    assert log.user == staff
    assert log.ip == "10.0.0.7"
    assert log.content_type == ContentType.objects.get_for_model(Organisation)
    assert log.object_id == str(organisation.pk)
    assert log.object_repr == "示范区民政局"
    assert log.changes["name"] == [None, "示范区民政局"]
    assert "updated_at" not in log.changes


def test_log_change_records_an_update_with_only_the_changed_fields(staff: User) -> None:
    organisation = Organisation.objects.create(name="示范区民政局", short_name="民政局", unit_type="gov_dept")
    before = audit.snapshot(organisation)
    organisation.short_name = "区民政局"
    organisation.save()

    log = audit.log_change(user=staff, obj=organisation, before=before)

    assert log is not None
    assert log.action == AuditLog.Action.UPDATE
    assert log.changes == {"short_name": ["民政局", "区民政局"]}


def test_log_change_writes_nothing_when_nothing_changed(staff: User) -> None:
    organisation = Organisation.objects.create(name="示范区民政局", unit_type="gov_dept")
    before = audit.snapshot(organisation)
    organisation.save()  # only updated_at moves

    assert audit.log_change(user=staff, obj=organisation, before=before) is None
    assert not AuditLog.objects.filter(object_id=str(organisation.pk), content_type__model="organisation").exists()


def test_log_action_stores_an_anonymous_user_as_none_and_cuts_long_notes(db: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    organisation = Organisation.objects.create(name="示范区民政局", unit_type="gov_dept")
    log = audit.log_action(user=AnonymousUser(), action=AuditLog.Action.VIEW, obj=organisation, note="注" * 300)
    assert log.user is None
    assert log.ip is None
    assert log.changes == {}
    assert len(log.note) == 200


def test_history_lists_the_rows_of_one_object_newest_first(staff: User) -> None:
    first = Organisation.objects.create(name="示范区民政局", unit_type="gov_dept")
    second = Organisation.objects.create(name="示范区教育局", unit_type="gov_dept")
    created = audit.log_change(user=staff, obj=first, before=None)
    audit.log_change(user=staff, obj=second, before=None)
    viewed = audit.log_action(user=staff, action=AuditLog.Action.VIEW, obj=first)
    round_ = new_round(staff)
    # A row of another model with the same primary key must not leak in.
    AuditLog.objects.filter(object_id=str(round_.pk)).update(object_id=str(first.pk))

    assert list(audit.history(first)) == [viewed, created]


# ---------------------------------------------------------------- services


def test_create_round_writes_a_create_row_with_the_fields(staff: User) -> None:
    inspection_round = new_round(staff, kickoff_date=date(2017, 8, 1))

    log = audit.history(inspection_round).get()
    assert log.action == AuditLog.Action.CREATE
    assert log.user == staff
    assert log.object_repr == "十三届区委第一轮巡察"
    assert log.changes["title"] == [None, "十三届区委第一轮巡察"]
    assert log.changes["committee_term"] == [None, 13]
    assert log.changes["year"] == [None, 2017]
    assert log.changes["round_no"] == [None, 1]
    assert log.changes["kickoff_date"] == [None, "2017-08-01"]
    assert log.changes["status"] == [None, "draft"]
    assert log.changes["created_by_id"] == [None, staff.pk]


def test_a_refused_create_round_writes_no_row(staff: User) -> None:
    from django.core.exceptions import ValidationError

    new_round(staff)
    count = AuditLog.objects.count()
    with pytest.raises(ValidationError):
        new_round(staff)  # same term and round number
    assert AuditLog.objects.count() == count


def test_creating_a_round_without_a_user_logs_no_user(db: Any) -> None:
    log = audit.history(new_round(None)).get()
    assert log.user is None


# ---------------------------------------------------------------- admin edits


def change_form_data(response: Any) -> dict[str, Any]:
    """The POST data the admin change form would send back unchanged, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict[str, Any] = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, date):
                value = value.isoformat()
            data[bound.html_name] = value
    return data


def admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(inspection_round: InspectionRound) -> str:
    return f"/admin/inspection/inspectionround/{inspection_round.pk}/change/"


def updates_of(obj: Any) -> list[AuditLog]:
    return list(audit.history(obj).filter(action=AuditLog.Action.UPDATE))


def test_an_admin_edit_writes_an_update_row_with_exactly_the_changed_fields(superuser: User) -> None:
    inspection_round = new_round(None, kickoff_date=date(2017, 8, 1))
    rounds.create_group(by=None, inspection_round=inspection_round, number=1)
    client = admin_client(superuser)
    page = client.get(change_url(inspection_round))
    assert page.status_code == 200
    data = change_form_data(page)
    data["title"] = "十三届区委第一轮常规巡察"
    data["letters_due_date"] = "2017-08-10"

    response = client.post(change_url(inspection_round), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    [log] = updates_of(inspection_round)
    assert log.user == superuser
    assert log.ip == "127.0.0.1"
    assert log.changes == {
        "title": ["十三届区委第一轮巡察", "十三届区委第一轮常规巡察"],
        "letters_due_date": [None, "2017-08-10"],
    }
    assert inspection_round.groups.count() == 1  # the inline was posted back untouched


def test_saving_in_the_admin_without_changes_writes_no_update_row(superuser: User) -> None:
    inspection_round = new_round(None, kickoff_date=date(2017, 8, 1))
    rounds.create_group(by=None, inspection_round=inspection_round, number=1)
    client = admin_client(superuser)
    data = change_form_data(client.get(change_url(inspection_round)))
    before = AuditLog.objects.count()

    response = client.post(change_url(inspection_round), data)

    assert response.status_code == 302
    assert updates_of(inspection_round) == []
    assert AuditLog.objects.count() == before


def test_an_admin_add_writes_a_create_row_by_the_admin(superuser: User) -> None:
    client = admin_client(superuser)
    response = client.post(
        "/admin/core/organisation/add/",
        {"name": "示范区统计局", "short_name": "区统计局", "aliases": "[]", "unit_type": "gov_dept"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    organisation = Organisation.objects.get(name="示范区统计局")
    log = audit.history(organisation).get()
    assert log.action == AuditLog.Action.CREATE
    assert log.user == superuser
    assert log.changes["created_by_id"] == [None, superuser.pk]


def test_an_admin_delete_writes_a_delete_row_with_the_last_values(superuser: User) -> None:
    organisation = Organisation.objects.create(name="示范区统计局", unit_type="gov_dept")
    pk = organisation.pk
    client = admin_client(superuser)
    response = client.post(f"/admin/core/organisation/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=pk).exists()
    log = AuditLog.objects.get(action=AuditLog.Action.DELETE, object_id=str(pk))
    assert log.user == superuser
    assert log.changes["name"] == "示范区统计局"


def test_the_audit_trail_never_holds_a_password_hash(db: Any) -> None:
    user = make_user("someone", "office_staff")
    log = audit.history(user).get()
    assert user.password not in str(log.changes)


def test_a_group_added_in_the_admin_goes_through_the_service(superuser: User) -> None:
    """The admin adds a group with create_group, so the audit row and the group's grants exist."""
    from core.permissions import scope_group

    inspection_round = new_round(None)
    client = admin_client(superuser)
    response = client.post(
        "/admin/inspection/inspectiongroup/add/",
        {"inspection_round": inspection_round.pk, "number": "3", "status": "forming"},
    )

    assert response.status_code == 302
    group = inspection_round.groups.get()
    assert audit.history(group).filter(action=AuditLog.Action.CREATE, user=superuser).exists()
    members_scope = scope_group(group)
    assert members_scope.groupobjectpermission_set.filter(object_pk=str(inspection_round.pk)).exists()
