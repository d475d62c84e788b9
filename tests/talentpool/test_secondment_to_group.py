"""Secondment reaches the group (issue 13 item 4): the office records a cadre's signed recusal form
on their behalf (代为登记), and confirmation makes the cadre a member, with an account if chosen."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import Notification, User
from core.permissions import scope_group_name
from core.roles import Role
from inspection.models import GroupMembership
from talentpool.models import RecusalDeclaration, SecondmentRequest
from talentpool.services import secondments
from talentpool.services.recusals import record_declaration_on_behalf
from tests.conftest import assert_matrix, make_user, role_keys
from tests.talentpool import secondment_fixtures
from tests.talentpool.secondment_fixtures import accepted, home, pooled, requested

sec_world = secondment_fixtures.sec_world
pytestmark = pytest.mark.django_db
Status = SecondmentRequest.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(world, key):
    client = Client()
    client.force_login(world.users[key])
    return client


def _form(name="回避申请表.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _declare_url(request, world):
    return reverse("talentpool:secondment-declare", args=[request.pk, world.unit_a.pk])


def test_a_cadre_without_an_account_goes_from_accepted_to_confirmed_to_group_member(sec_world):
    request = accepted(sec_world)
    person = request.person
    assert not User.objects.filter(person=person).exists()
    superuser = make_user("root")
    User.objects.filter(pk=superuser.pk).update(is_superuser=True)
    client = _client(sec_world, "office_staff")
    detail = reverse("talentpool:secondment-detail", args=[request.pk])
    assert 'class="declare-on-behalf"' in client.get(detail).content.decode()

    response = client.post(
        _declare_url(request, sec_world),
        {"has_conflict": "0", "note": "本人签字，无亲属在该单位", "signed_form": _form()},
    )
    assert response.status_code == 302
    declaration = RecusalDeclaration.objects.get(person=person, inspected_unit=sec_world.unit_a)
    assert declaration.recorded_by == sec_world.users["office_staff"]
    assert (declaration.signed_form.kind, declaration.signed_form.original_name) == ("pdf", "回避申请表.pdf")
    assert declaration.note == "本人签字，无亲属在该单位"
    page = client.get(detail).content.decode()
    assert "代为登记" in page
    download = client.get(reverse("core:file-download", args=[declaration.signed_form.pk]))
    assert download.status_code == 200

    response = client.post(reverse("talentpool:secondment-confirm", args=[request.pk]), {"account": "on"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.CONFIRMED
    membership = GroupMembership.objects.get(person=person, group=sec_world.group_a)
    assert (membership.is_seconded, membership.secondment) == (True, request)
    account = User.objects.get(person=person)
    assert account.username == f"secondee{person.pk}"
    assert account.organisation == person.home_unit
    assert not account.has_usable_password()  # nobody who confirmed knows a password
    assert account.has_role(Role.GROUP_MEMBER)
    assert account.groups.filter(name=scope_group_name(sec_world.group_a)).exists()
    assert Notification.objects.filter(recipient=superuser, title__contains=account.username).exists()
    assert _client_for(account).get(reverse("talentpool:recusal-mine")).status_code == 200


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_confirmation_links_the_person_s_existing_account(sec_world):
    entry = pooled(home(sec_world), name="有账号的人")
    own = make_user("cadre_x", "home_unit_contact", organisation=home(sec_world), person=entry.person)
    request = accepted(sec_world, requested(sec_world, entry))
    record_declaration_on_behalf(
        by=sec_world.users["office_head"],
        person=entry.person,
        inspected_unit=sec_world.unit_a,
        has_conflict=False,
        signed_form=_form(),
        form_name="form.pdf",
    )
    secondments.confirm_request(request=request, by=sec_world.users["office_head"], account=True, username="ignored")
    assert User.objects.filter(person=entry.person).get() == own
    assert not User.objects.filter(username="ignored").exists()
    own = User.objects.get(pk=own.pk)
    assert own.role_codes >= {Role.GROUP_MEMBER, Role.HOME_UNIT_CONTACT}
    assert own.groups.filter(name=scope_group_name(sec_world.group_a)).exists()


def test_without_the_box_the_cadre_joins_without_an_account(sec_world):
    request = accepted(sec_world)
    secondment_fixtures.clear_declarations(sec_world, request.person)
    _client(sec_world, "office_staff").post(reverse("talentpool:secondment-confirm", args=[request.pk]), {})
    assert GroupMembership.objects.filter(person=request.person).exists()
    assert not User.objects.filter(person=request.person).exists()


def test_the_confirmation_refuses_without_declarations(sec_world):
    request = accepted(sec_world)
    client = _client(sec_world, "office_staff")
    response = client.post(reverse("talentpool:secondment-confirm", args=[request.pk]), {"account": "on"}, follow=True)
    assert "被巡察单位A" in " ".join(str(m) for m in response.context["messages"])
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert not GroupMembership.objects.filter(person=request.person).exists()
    assert not User.objects.filter(person=request.person).exists()  # the account rolled back with it


def test_a_taken_user_name_is_refused_and_nothing_changes(sec_world):
    request = accepted(sec_world)
    secondment_fixtures.clear_declarations(sec_world, request.person)
    with pytest.raises(ValidationError, match="staff"):
        secondments.confirm_request(request=request, by=sec_world.users["office_staff"], account=True, username="staff")
    assert SecondmentRequest.objects.get(pk=request.pk).status == Status.ACCEPTED


def test_recording_on_behalf_is_the_offices_and_others_get_404(sec_world):
    request = accepted(sec_world)
    url = _declare_url(request, sec_world)
    # The pool manager confirms secondments but holds no recusal records (docs/domain.md §5.3).
    assert_matrix(sec_world, url, role_keys("office_head", "office_staff", status=302), method="post")


def test_the_signed_form_is_required_and_must_be_a_document(sec_world):
    request = accepted(sec_world)
    client = _client(sec_world, "office_staff")
    url = _declare_url(request, sec_world)
    client.post(url, {"has_conflict": "0"})
    client.post(url, {"has_conflict": "0", "signed_form": _form("form.pdf", b"MZ\x90\x00not a document")})
    assert not RecusalDeclaration.objects.filter(person=request.person).exists()


def test_a_declared_tie_on_behalf_waits_for_the_office_decision(sec_world):
    request = accepted(sec_world)
    client = _client(sec_world, "office_staff")
    client.post(
        _declare_url(request, sec_world),
        {"has_conflict": "1", "relationship": "spouse", "related_name": "钱某某", "signed_form": _form()},
    )
    declaration = RecusalDeclaration.objects.get(person=request.person)
    assert declaration.has_conflict
    assert declaration.on_behalf
    with pytest.raises(ValidationError):
        secondments.confirm_request(request=request, by=sec_world.users["office_staff"])


def test_the_office_records_only_for_someone_in_the_units_group(sec_world):
    stranger = pooled(home(sec_world), name="局外人")
    with pytest.raises(ValidationError, match="局外人"):
        record_declaration_on_behalf(
            by=sec_world.users["office_staff"],
            person=stranger.person,
            inspected_unit=sec_world.unit_a,
            has_conflict=False,
            signed_form=_form(),
            form_name="form.pdf",
        )
    request = accepted(sec_world)
    with pytest.raises(ValidationError):
        record_declaration_on_behalf(
            by=sec_world.users["pool_manager"],
            person=request.person,
            inspected_unit=sec_world.unit_a,
            has_conflict=False,
            signed_form=_form(),
            form_name="form.pdf",
        )


def test_the_home_unit_contact_sees_no_declarations_on_the_request(sec_world):
    request = accepted(sec_world)
    page = _client(sec_world, "contact_x").get(reverse("talentpool:secondment-detail", args=[request.pk]))
    assert 'id="declarations"' not in page.content.decode()
    assert "被巡察单位A" not in page.content.decode()
