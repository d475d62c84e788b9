"""The liaison officer's menu reaches each duty, and the contact log takes any time (issue 13 item 8)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liaison.models import ContactLogEntry
from tests.liaison.ledger_fixtures import ledger_fixture  # noqa: F401 - fixture
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_officer_s_menu_names_each_duty_and_leads_to_its_page(ledger):
    client = _client(ledger.officer)
    body = client.get("/").content.decode()
    for label in ("本单位", "交接", "整改台账", "反馈问题"):
        assert label in body
    unit = ledger.world.unit_a
    expected = {
        "handovers": reverse("liaison:handover-list", args=[unit.pk]),
        "ledger": reverse("liaison:ledger", args=[unit.pk]),
        "feedback": reverse("liaison:feedback", args=[unit.pk]),
    }
    for page, target in expected.items():
        url = reverse("liaison:my-unit-page", args=[page])
        assert url in body
        response = client.get(url)
        assert response.url == target
        assert client.get(target).status_code == 200


def test_before_the_feedback_the_ledger_entry_explains_instead_of_404(liaison_world):  # noqa: F811 - fixture
    client = _client(liaison_world.users["liaison_a"])
    response = client.get(reverse("liaison:my-unit-page", args=["ledger"]), follow=True)
    assert response.status_code == 200
    assert "尚未向本单位反馈" in response.content.decode()


def test_the_officer_pages_are_for_officers_only(liaison_world):  # noqa: F811 - fixture
    for key in ("office_staff", "member_a", "outsider"):
        assert (
            _client(liaison_world.users[key]).get(reverse("liaison:my-unit-page", args=["handovers"])).status_code
            == 404
        )
    officer = _client(liaison_world.users["liaison_a"])
    assert officer.get(reverse("liaison:my-unit-page", args=["clues"])).status_code == 404


def test_the_contact_time_is_editable_to_any_minute(liaison_world):  # noqa: F811 - fixture
    unit = liaison_world.unit_a
    client = _client(liaison_world.users["liaison_a"])
    url = reverse("liaison:contact-log", args=[unit.pk])
    body = client.get(url).content.decode()
    assert 'type="datetime-local"' in body
    assert 'step="60"' in body
    # The initial value is to the minute, so the browser's step check accepts every other minute.
    value = body.split('name="at" value="', 1)[1].split('"', 1)[0]
    assert len(value) == len("2017-09-04T15:30")
    assert "T" in value
    client.post(url, {"at": "2017-09-01T08:07", "channel": "phone", "subject": "补记电话"})
    entry = ContactLogEntry.objects.get(subject="补记电话")
    assert timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M") == "2017-09-01 08:07"
