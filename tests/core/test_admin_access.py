"""The admin administers accounts, not cases: no escalation by a non-superuser, no case content shown,
every change of access audited and reported to the office heads, accounts with a trail kept."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils.translation import gettext, gettext_lazy

from clues.services.registry import register_clue
from core import audit
from core.models import AuditLog, Notification, User
from core.permissions import scope_group
from tests.conftest import World, make_user
from tests.factories import PersonFactory

# The note is written in the language of the request (the site's, zh-hans).
ROLES_CHANGED = gettext_lazy("Roles changed")


@pytest.fixture
def sysadmin(db: Any) -> User:
    # As the demo's "sysadmin" account (demo/data.py): the system_admin role, admin site access.
    return make_user("sysadmin", "system_admin", is_staff=True)


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser(username="root", email="root@example.gov.cn", password="x")


@pytest.fixture
def head(db: Any) -> User:
    return make_user("head", "office_head")


@pytest.fixture
def clerk(db: Any) -> User:
    return make_user("clerk", "office_staff")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(user: User) -> str:
    return f"/admin/core/user/{user.pk}/change/"


def form_data(client: Client, user: User) -> dict[str, Any]:
    """What the user change form posts back unchanged."""
    page = client.get(change_url(user))
    assert page.status_code == 200
    data: dict[str, Any] = {}
    for bound in page.context["adminform"].form:
        value = bound.value()
        if value is None or value is False or bound.field.disabled:
            continue
        if value is True:
            value = "on"
        if isinstance(value, datetime):
            data[f"{bound.html_name}_0"], data[f"{bound.html_name}_1"] = value.date(), value.strftime("%H:%M:%S")
            continue
        if isinstance(value, date):
            value = value.isoformat()
        data[bound.html_name] = value
    return data


def group_ids(*names: str) -> list[int]:
    return [Group.objects.get(name=name).pk for name in names]


def roles_of(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


# ---------------------------------------------------------------- refusals for a non-superuser


@pytest.mark.parametrize("role", ["clue_custodian", "office_head", "group_leader", "commission_receiver"])
def test_the_system_administrator_cannot_grant_a_data_role(sysadmin: User, clerk: User, role: str) -> None:
    client = signed_in(sysadmin)
    data = form_data(client, clerk)
    data["groups"] = group_ids("office_staff", role)

    response = client.post(change_url(clerk), data)

    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert roles_of(clerk) == {"office_staff"}


def test_the_system_administrator_cannot_add_an_account_to_a_scope_circle(
    sysadmin: User, clerk: User, world: World
) -> None:
    client = signed_in(sysadmin)
    data = form_data(client, clerk)
    circle = scope_group(world.group_a)
    data["groups"] = [*group_ids("office_staff"), circle.pk]

    response = client.post(change_url(clerk), data)

    assert response.status_code == 200
    assert not clerk.groups.filter(pk=circle.pk).exists()


def test_the_system_administrator_cannot_make_anyone_superuser_or_grant_raw_permissions(
    sysadmin: User, clerk: User
) -> None:
    client = signed_in(sysadmin)
    data = form_data(client, clerk)
    data["is_superuser"] = "on"
    data["user_permissions"] = [Permission.objects.get(codename="reveal_clue").pk]

    client.post(change_url(clerk), data)

    clerk.refresh_from_db()
    assert not clerk.is_superuser
    assert not clerk.user_permissions.exists()
    assert not clerk.has_perm("clues.reveal_clue")


def test_the_system_administrator_cannot_change_their_own_access(sysadmin: User) -> None:
    client = signed_in(sysadmin)
    data = form_data(client, sysadmin)
    data["groups"] = group_ids("system_admin", "clue_custodian")
    data["is_superuser"] = "on"
    data["user_permissions"] = [Permission.objects.get(codename="view_clue").pk]
    data["person"] = PersonFactory(name="组长甲").pk

    client.post(change_url(sysadmin), data)

    sysadmin.refresh_from_db()
    assert sysadmin.person is None
    assert roles_of(sysadmin) == {"system_admin"}
    assert not sysadmin.is_superuser
    assert not sysadmin.user_permissions.exists()


def test_the_system_administrator_cannot_edit_a_superuser_or_set_a_data_role_holders_password(
    sysadmin: User, superuser: User, head: User
) -> None:
    client = signed_in(sysadmin)
    client.post(change_url(superuser), {"username": "root2"})
    superuser.refresh_from_db()
    assert superuser.username == "root"
    for user in (superuser, head):
        page = client.post(
            f"/admin/core/user/{user.pk}/password/", {"password1": "Xk9!aq-long-pass", "password2": "Xk9!aq-long-pass"}
        )
        assert page.status_code == 403
        user.refresh_from_db()
        assert not user.check_password("Xk9!aq-long-pass")


def test_the_system_administrator_grants_a_role_that_opens_no_case_content(
    sysadmin: User, clerk: User, head: User
) -> None:
    client = signed_in(sysadmin)
    data = form_data(client, clerk)
    data["groups"] = group_ids("office_staff", "pool_manager")

    response = client.post(change_url(clerk), data)

    assert response.status_code == 302
    assert roles_of(clerk) == {"office_staff", "pool_manager"}


# ---------------------------------------------------------------- every change of access is audited and reported


def test_a_role_granted_in_the_admin_is_audited_and_the_office_heads_are_told(
    superuser: User, clerk: User, head: User
) -> None:
    client = signed_in(superuser)
    data = form_data(client, clerk)
    data["groups"] = group_ids("office_staff", "clue_custodian")
    data["is_staff"] = "on"

    response = client.post(change_url(clerk), data)

    assert response.status_code == 302
    entry = AuditLog.objects.filter(object_id=str(clerk.pk), note=ROLES_CHANGED).get()
    assert entry.username == "root"
    assert entry.changes["groups"] == [["office_staff"], ["clue_custodian", "office_staff"]]
    assert entry.changes["is_staff"] == [False, True]
    [note] = Notification.objects.filter(recipient=head)
    assert "clerk" in note.title
    assert "root" in note.body


def test_a_role_taken_away_in_the_admin_is_audited_too(sysadmin: User, clerk: User, head: User) -> None:
    client = signed_in(sysadmin)
    data = form_data(client, clerk)
    data["groups"] = []

    client.post(change_url(clerk), data)

    entry = AuditLog.objects.filter(object_id=str(clerk.pk), note=ROLES_CHANGED).get()
    assert entry.user == sysadmin
    assert entry.changes["groups"] == [["office_staff"], []]
    assert Notification.objects.filter(recipient=head).count() == 1


def test_saving_an_account_without_changing_its_access_tells_nobody(sysadmin: User, clerk: User, head: User) -> None:
    client = signed_in(sysadmin)
    data = form_data(client, clerk)
    data["email"] = "clerk@example.gov.cn"

    client.post(change_url(clerk), data)

    assert not AuditLog.objects.filter(object_id=str(clerk.pk), note=ROLES_CHANGED).exists()
    assert not Notification.objects.filter(recipient=head).exists()


def test_an_account_created_by_a_person_reports_its_roles(head: User, sysadmin: User) -> None:
    from core.services.directory import create_user_account

    user = create_user_account(by=sysadmin, username="newcomer", password="Newcomer-pass-2017", roles=["office_staff"])

    entry = AuditLog.objects.filter(object_id=str(user.pk), note=ROLES_CHANGED).get()
    assert entry.changes["groups"] == [[], ["office_staff"]]
    assert Notification.objects.filter(recipient=head).count() == 1


# ---------------------------------------------------------------- accounts with a trail are kept


def test_deleting_an_account_with_audit_entries_deactivates_it(superuser: User, clerk: User) -> None:
    entry = audit.log_action(user=clerk, action=AuditLog.Action.VIEW, obj=clerk, note="读过的记录")
    client = signed_in(superuser)

    confirm = client.get(f"/admin/core/user/{clerk.pk}/delete/")
    response = client.post(f"/admin/core/user/{clerk.pk}/delete/", {"post": "yes"}, follow=True)

    assert confirm.status_code == 200
    assert "读过的记录" not in confirm.content.decode()  # the entries that keep it are not listed
    clerk.refresh_from_db()
    assert not clerk.is_active
    entry.refresh_from_db()
    assert entry.user == clerk
    assert [str(m) for m in response.context["messages"]] == [
        gettext("%(user)s has audit entries, so the account was deactivated instead of deleted.") % {"user": clerk}
    ]
    assert audit.history(clerk).filter(action=AuditLog.Action.UPDATE, changes__is_active=[True, False]).exists()


def test_deleting_an_account_without_a_trail_deletes_it(superuser: User, clerk: User) -> None:
    response = signed_in(superuser).post(f"/admin/core/user/{clerk.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=clerk.pk).exists()


def test_there_is_no_bulk_delete_of_accounts(superuser: User) -> None:
    page = signed_in(superuser).get("/admin/core/user/")
    assert "delete_selected" not in page.content.decode()


# ---------------------------------------------------------------- the audit log shows no case content


MARKERS = ["标记被反映人甲", "标记问题线索摘要乙", "标记反映人丙", "标记联系电话丁"]


def test_the_audit_log_shows_the_system_administrator_no_case_content(sysadmin: User, world: World) -> None:
    custodian = world.users["clue_custodian"]
    clue = register_clue(
        by=custodian,
        inspected_unit=world.unit_a,
        source_type="petition",
        received_date=date(2017, 9, 1),
        allegation_summary=MARKERS[1],
        categories=["other"],
        reported_persons=[{"name": MARKERS[0]}],
        reporter_name=MARKERS[2],
        reporter_contact=MARKERS[3],
    )
    from clues.services.registry import record_read, reveal_reporter

    record_read(clue=clue, user=custodian)
    reveal_reporter(clue=clue, user=custodian, reason=f"核实 {MARKERS[0]}")
    client = signed_in(sysadmin)
    entries = AuditLog.objects.filter(content_type__app_label="clues")
    assert entries.count() >= 3

    pages = [client.get("/admin/core/auditlog/"), client.get("/admin/core/auditlog/", {"q": MARKERS[1]})]
    pages += [client.get(f"/admin/core/auditlog/{entry.pk}/change/") for entry in entries]

    assert all(page.status_code == 200 for page in pages)
    assert pages[1].context["cl"].result_count == 0  # the search box does not probe content
    del pages[1]  # (it echoes the query)
    for page in pages:
        text = page.content.decode()
        assert not [marker for marker in MARKERS if marker in text]
    assert f'<td class="field-object_id">{clue.pk}</td>' in pages[0].content.decode()  # type and id are shown


def test_the_audit_log_shows_a_superuser_everything_but_the_reporter(superuser: User, world: World) -> None:
    custodian = world.users["clue_custodian"]
    clue = register_clue(
        by=custodian,
        inspected_unit=world.unit_a,
        source_type="petition",
        received_date=date(2017, 9, 1),
        allegation_summary=MARKERS[1],
        categories=["other"],
        reporter_name=MARKERS[2],
        reporter_contact=MARKERS[3],
    )
    entry = AuditLog.objects.get(content_type__model="clue", object_id=str(clue.pk), action="create")

    text = signed_in(superuser).get(f"/admin/core/auditlog/{entry.pk}/change/").content.decode()

    assert MARKERS[1] in text
    assert MARKERS[2] not in text
    assert MARKERS[3] not in text


def test_the_login_attempts_admin_reads_in_chinese(sysadmin: User) -> None:
    """django-axes ships no Chinese: its admin's words come from core/third_party_strings.py."""
    client = Client()
    client.force_login(sysadmin)
    response = client.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    page = response.content.decode()
    for english in ("Attempt Time", "Locked Out", "access attempt"):
        assert english not in page
    assert "登录尝试" in page


def test_the_reminders_admin_names_each_step_in_words(sysadmin: User, world: World) -> None:
    """QA read raw codes ("letter.before") in the reminders' list."""
    from clues.reminders import LETTERS
    from core.services.reminders import PlannedReminder, schedule_reminders

    due = datetime(2030, 1, 7, 9, tzinfo=UTC)
    schedule_reminders(target=world.round, plan=[PlannedReminder(LETTERS.kind("overdue"), due)])
    client = Client()
    client.force_login(sysadmin)
    page = client.get("/admin/core/reminder/").content.decode()
    assert ">letter.overdue<" not in page  # the code stays in the filter links only
    assert "：逾期" in page
