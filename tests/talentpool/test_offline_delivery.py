"""Issue 13 item 5: a secondment request to a home unit without a reachable contact (线下送达):
the office sees it before sending, records the paper delivery, and the reminders reach the office staff."""

from datetime import date, datetime

import time_machine
from django.urls import reverse

from core.models import Notification, PaperDelivery
from core.services import reminders
from tests.factories import OrganisationFactory
from tests.helpers import logged_in
from tests.talentpool import secondment_fixtures
from tests.talentpool.secondment_fixtures import SHANGHAI, pooled, requested, sent

sec_world = secondment_fixtures.sec_world


def _reminded(day: date) -> set[str]:
    with time_machine.travel(datetime(day.year, day.month, day.day, 9, 1, tzinfo=SHANGHAI), tick=False):
        reminders.sweep_due_reminders()
    notes = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    return set(notes.values_list("recipient__username", flat=True))


def test_the_office_sees_the_home_units_contacts_before_sending(sec_world):
    request = requested(sec_world)
    text = logged_in(sec_world.users["office_staff"]).get(reverse("talentpool:secondment-detail", args=[request.pk]))
    assert 'id="recipients"' in text.content.decode()
    assert 'id="offline-delivery"' not in text.content.decode()


def test_a_home_unit_without_a_contact_is_marked_offline_and_its_paper_delivery_recorded(sec_world):
    request = sent(sec_world, requested(sec_world, pooled(OrganisationFactory(name="区教育局"))))
    client = logged_in(sec_world.users["office_staff"])
    url = reverse("talentpool:secondment-detail", args=[request.pk])
    text = client.get(url).content.decode()
    assert 'id="offline-delivery"' in text
    assert 'id="paper-delivery-form"' in text
    data = {"delivered_on": "2017-08-04", "method": "confidential_exchange", "receiver_name": "赵干事"}
    assert client.post(reverse("talentpool:secondment-paper-delivery", args=[request.pk]), data).status_code == 302
    assert PaperDelivery.objects.get().receiver_name == "赵干事"
    assert "赵干事" in client.get(url).content.decode()


def test_reminders_for_an_offline_home_unit_go_to_the_office_staff(sec_world):
    sent(sec_world, requested(sec_world, pooled(OrganisationFactory(name="区教育局"))))
    assert _reminded(date(2017, 8, 8)) == {"staff"}  # the due day


def test_reminders_for_a_reachable_home_unit_go_to_its_contacts(sec_world):
    sent(sec_world)
    assert _reminded(date(2017, 8, 8)) == {"hr_x"}


def test_the_draw_page_marks_requests_to_offline_home_units(sec_world):
    requested(sec_world)
    offline = requested(sec_world, pooled(OrganisationFactory(name="区教育局")))
    page = logged_in(sec_world.users["office_staff"]).get(reverse("talentpool:group-draw", args=[sec_world.group_a.pk]))
    marks = {request.pk: request.reachable for request in page.context["requests"]}
    assert marks[offline.pk] is False
    assert sum(1 for reachable in marks.values() if reachable) == 1
    assert page.content.decode().count("offline-delivery") == 1
