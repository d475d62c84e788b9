"""Issue 13 item 5: no letter to nobody. The office sees who a letter reaches before approving it;
a partner without an active account is marked 线下送达, its paper delivery is recorded on the
letter's page and its reminders go to the office staff, who chase it by phone."""

from datetime import date, datetime

import time_machine
from django.urls import reverse

from core.models import Notification, PaperDelivery
from core.services import reminders
from core.services.directory import deactivate_user
from tests.clues.conftest import SHANGHAI, send
from tests.helpers import logged_in


def _remind_on(day: date) -> None:
    with time_machine.travel(datetime(day.year, day.month, day.day, 9, 1, tzinfo=SHANGHAI), tick=False):
        reminders.sweep_due_reminders()


def test_the_office_sees_the_partner_users_who_will_receive_the_letter(world, drafts):
    world.users["partner_x"].last_name, world.users["partner_x"].first_name = "审计", "联络人"
    world.users["partner_x"].save()
    page = logged_in(world.users["office_head"]).get(reverse("clues:letter-detail", args=[drafts["x"].pk]))
    text = page.content.decode()
    assert 'id="recipients"' in text
    assert "审计联络人" in text
    assert 'id="offline-delivery"' not in text


def test_a_partner_without_an_account_is_marked_offline_before_approval(world, drafts):
    deactivate_user(user=world.users["partner_x"], by=None)
    page = logged_in(world.users["office_head"]).get(reverse("clues:letter-detail", args=[drafts["x"].pk]))
    text = page.content.decode()
    assert 'id="offline-delivery"' in text
    assert 'id="paper-delivery-form"' not in text  # recorded once the letter has gone out


def test_the_partner_itself_does_not_see_the_recipients_panel(world, sent):
    page = logged_in(world.users["partner_x"]).get(reverse("clues:letter-detail", args=[sent["x"].pk]))
    assert 'id="recipients"' not in page.content.decode()


def test_the_office_records_the_paper_delivery_on_the_letters_page(world, drafts, django_capture_on_commit_callbacks):
    deactivate_user(user=world.users["partner_x"], by=None)
    with django_capture_on_commit_callbacks(execute=True):
        letter = send(drafts["x"], world)
    client = logged_in(world.users["office_staff"])
    url = reverse("clues:letter-detail", args=[letter.pk])
    assert 'id="paper-delivery-form"' in client.get(url).content.decode()
    data = {"delivered_on": "2017-08-04", "method": "by_hand", "receiver_name": "王收发"}
    response = client.post(reverse("clues:letter-paper-delivery", args=[letter.pk]), data)
    assert response.status_code == 302
    paper = PaperDelivery.objects.get()
    assert (paper.delivered_on, paper.method, paper.receiver_name) == (date(2017, 8, 4), "by_hand", "王收发")
    assert "王收发" in client.get(url).content.decode()
    # Corrected, not doubled.
    client.post(reverse("clues:letter-paper-delivery", args=[letter.pk]), data | {"receiver_name": "李收发"})
    assert list(PaperDelivery.objects.values_list("receiver_name", flat=True)) == ["李收发"]


def test_a_paper_delivery_needs_a_method_and_a_receiver(world, sent):
    client = logged_in(world.users["office_staff"])
    client.post(reverse("clues:letter-paper-delivery", args=[sent["x"].pk]), {"delivered_on": "2017-08-04"})
    assert not PaperDelivery.objects.exists()


def test_reminders_for_an_offline_partner_go_to_the_office_staff(world, drafts, django_capture_on_commit_callbacks):
    deactivate_user(user=world.users["partner_x"], by=None)
    with django_capture_on_commit_callbacks(execute=True):
        send(drafts["x"], world)
    _remind_on(date(2017, 8, 8))  # two working days before the deadline
    told = set(
        Notification.objects.filter(kind=Notification.Kind.REMINDER).values_list("recipient__username", flat=True)
    )
    assert told == {"staff"}


def test_reminders_for_a_reachable_partner_still_go_to_its_users(world, sent):
    _remind_on(date(2017, 8, 8))
    told = set(
        Notification.objects.filter(kind=Notification.Kind.REMINDER).values_list("recipient__username", flat=True)
    )
    assert told == {"partner_x", "partner_y"}


def test_the_round_board_marks_the_letters_to_offline_partners(world, drafts):
    deactivate_user(user=world.users["partner_x"], by=None)
    page = logged_in(world.users["office_head"]).get(reverse("clues:round-letters", args=[world.round.pk]))
    board = {letter.partner.org_unit_id: letter.reachable for letter in page.context["letters"]}
    assert board == {world.partner_x.pk: False, world.partner_y.pk: True}
    text = page.content.decode()
    assert 'id="offline-summary"' in text
    assert text.count("offline-delivery") == 1
