"""Letters: drafting for a round, approval and numbering, delivery, reminders, permissions."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clues.forms import LetterForm
from clues.models import InfoRequestLetter
from clues.services import letters
from clues.services.replies import submit_reply
from core import delivery
from core.documents import document_text
from core.models import Notification, Reminder, User
from core.permissions import get_for_user_or_404
from core.services import reminders
from core.wording import office_name
from inspection.services import assign_unit
from tests.clues.conftest import SENT_AT, SHANGHAI, send
from tests.conftest import assert_matrix, role_keys
from tests.exports import export_rows

OFFICE = ("office_head", "office_staff", "clue_custodian")


def test_round_letters_go_to_every_active_partner_once(world, partners, drafts):
    assert set(drafts) == {"x", "y"}
    assert letters.create_round_letters(inspection_round=world.round, by=None) == []
    letter = drafts["x"]
    assert letter.status == InfoRequestLetter.Status.DRAFT
    assert letter.request_items == ["审计情况"]
    assert set(letter.inspected_units.all()) == {world.unit_a, world.unit_b}
    assert letter.period_to
    assert letter.period_from < letter.period_to


def test_a_partners_own_unit_is_left_out_of_its_letter(world, partners):
    assign_unit(by=None, group=world.group_b, org_unit=world.partner_x)
    created = letters.create_round_letters(inspection_round=world.round, by=None)
    to_x = next(x for x in created if x.partner_id == partners["x"].pk)
    to_y = next(x for x in created if x.partner_id == partners["y"].pk)
    assert world.partner_x not in {u.org_unit for u in to_x.inspected_units.all()}
    assert world.partner_x in {u.org_unit for u in to_y.inspected_units.all()}


def test_sending_numbers_letters_in_order_and_sets_the_working_day_deadline(world, drafts):
    first = send(drafts["x"], world)
    second = send(drafts["y"], world)
    assert first.doc_number == "示巡办函〔2017〕1号"
    assert second.doc_number == "示巡办函〔2017〕2号"
    assert first.deadline == date(2017, 8, 10)
    assert first.status == InfoRequestLetter.Status.SENT


def test_the_deadline_skips_national_day_and_counts_the_makeup_saturday(world, drafts):
    letter = send(drafts["x"], world, now=datetime(2017, 9, 28, 10, tzinfo=SHANGHAI))
    # 9-29 (Fri), 9-30 (make-up Sat), then 10-9, 10-10, 10-11.
    assert letter.deadline == date(2017, 10, 11)


def test_approving_twice_is_refused_and_changes_nothing(world, drafts):
    letter = send(drafts["x"], world)
    with pytest.raises(ValidationError):
        letters.approve_and_send(letter=letter, by=world.users["office_head"])
    letter.refresh_from_db()
    assert letter.doc_number == "示巡办函〔2017〕1号"


def test_a_deadline_already_past_is_refused_at_approval_and_nothing_is_sent(world, drafts):
    letter = drafts["x"]
    letters.update_letter(letter=letter, by=None, deadline=date(2017, 7, 20))  # before SENT_AT (July 2017)
    letters.submit_for_approval(letter=letter, by=world.users["office_staff"])
    letter.refresh_from_db()
    assert letters.bulk_problems(letter, letters.BULK_APPROVE)  # the board's confirmation page says so
    with pytest.raises(ValidationError, match="2017年7月20日"):
        letters.approve_and_send(letter=letter, by=world.users["office_head"], now=SENT_AT)
    letter.refresh_from_db()
    assert letter.status == InfoRequestLetter.Status.PENDING_APPROVAL
    assert not letter.doc_number


def test_the_edit_form_refuses_a_deadline_already_past(world, drafts):
    from clues.forms import LetterForm

    letter = drafts["x"]
    data = {**LetterForm.initial_for(letter), "request_items": "审计报告", "deadline": "2020-03-09"}
    data["inspected_units"] = [unit.pk for unit in data["inspected_units"]]
    form = LetterForm(data, letter=letter)
    assert not form.is_valid()
    assert "已过" in form.errors["deadline"][0]


def test_a_partner_s_workbench_lists_the_letters_it_owes_and_none_of_another_partner(world, sent):
    client = Client()
    client.force_login(world.users["partner_x"])
    due = client.get("/").content.decode().split('id="home-due"')[1]
    assert f'href="/letters/{sent["x"].pk}/"' in due
    assert f'href="/letters/{sent["y"].pk}/"' not in due


def test_a_sent_letter_can_no_longer_be_edited(world, sent):
    with pytest.raises(ValidationError):
        letters.update_letter(letter=sent["x"], by=world.users["office_staff"], title="改")


def test_a_letter_needs_items_before_approval(world, drafts):
    letters.update_letter(letter=drafts["x"], by=None, request_items=[])
    with pytest.raises(ValidationError):
        letters.submit_for_approval(letter=drafts["x"], by=None)


def test_delivery_grants_the_partner_notifies_its_users_and_plans_reminders(world, sent):
    letter = sent["x"]
    assert letter.delivered_at is not None
    partner_user = world.users["partner_x"]
    assert get_for_user_or_404(InfoRequestLetter.objects.all(), partner_user, pk=letter.pk) == letter
    assert Notification.objects.filter(recipient=partner_user, title__contains=letter.doc_number).count() == 1
    kinds = list(Reminder.objects.filter(target_id=str(letter.pk)).order_by("due_at").values_list("kind", "level"))
    assert kinds[:3] == [("letter.before", "green"), ("letter.due", "yellow"), ("letter.overdue", "yellow")]
    assert kinds[3:] == [("letter.escalation", "red")] * 3


def test_delivering_again_is_a_no_op(world, sent):
    before = Notification.objects.count()
    assert delivery.deliver_record(sent["x"]) is False
    assert Notification.objects.count() == before


def test_letters_sent_while_the_broker_was_down_are_delivered_by_the_sweep(world, drafts):
    from core.tasks import sweep_deliveries

    letter = send(drafts["x"], world)  # on-commit callbacks never ran: as if the broker was down
    assert letter.delivered_at is None
    assert sweep_deliveries.apply().get() == 1
    letter.refresh_from_db()
    assert letter.delivered_at is not None


def _run_reminders_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        reminders.sweep_due_reminders()


def test_reminders_reach_the_partner_once_each_and_escalate_to_the_office_head(world, sent):
    letter = sent["x"]
    partner_user, head = world.users["partner_x"], world.users["office_head"]
    for day in (date(2017, 8, 8), date(2017, 8, 10), date(2017, 8, 14), date(2017, 8, 16)):
        moment = datetime(day.year, day.month, day.day, 9, 1, tzinfo=SHANGHAI)
        _run_reminders_at(moment)
        _run_reminders_at(moment)  # a second sweep (or a retried task) sends nothing more
    titles = list(Notification.objects.filter(recipient=partner_user).values_list("title", flat=True))
    assert sum(letter.doc_number in t and "提醒" in t for t in titles) >= 1
    assert Reminder.objects.filter(target_id=str(letter.pk), status=Reminder.Status.SENT).count() == 4
    head_notes = Notification.objects.filter(recipient=head, title__contains=letter.doc_number)
    assert head_notes.count() == 1  # only the first escalation (red) is due so far


def test_reminders_stop_when_the_letter_is_answered(world, sent, settings, tmp_path):
    from tests.clues.test_replies import answer_with_nil_return

    letter = sent["x"]
    answer_with_nil_return(letter, world.users["partner_x"])
    _run_reminders_at(datetime(2017, 8, 30, 9, 1, tzinfo=SHANGHAI))
    assert not Reminder.objects.filter(target_id=str(letter.pk), status=Reminder.Status.SENT).exists()
    assert not Notification.objects.filter(recipient=world.users["partner_x"], title__contains="逾期").exists()
    assert submit_reply  # the answer went through the same service as the portal


def test_opening_a_letter_as_the_partner_marks_it_viewed(world, sent):
    client = Client()
    client.force_login(world.users["partner_x"])
    assert client.get(reverse("clues:letter-detail", args=[sent["x"].pk])).status_code == 200
    letter = InfoRequestLetter.objects.get(pk=sent["x"].pk)
    assert letter.status == InfoRequestLetter.Status.VIEWED
    assert letter.first_viewed_at is not None


def test_office_staff_opening_a_letter_does_not_mark_it_viewed(world, sent):
    client = Client()
    client.force_login(world.users["office_staff"])
    client.get(reverse("clues:letter-detail", args=[sent["x"].pk]))
    assert InfoRequestLetter.objects.get(pk=sent["x"].pk).status == InfoRequestLetter.Status.SENT


@pytest.mark.parametrize("name", ["letter-detail", "letter-docx", "letter-template"])
def test_letter_pages_permission_matrix(world, sent, name):
    url = reverse(f"clues:{name}", args=[sent["x"].pk])
    assert_matrix(world, url, role_keys(*OFFICE, "partner_x"))


def test_a_partner_never_sees_a_draft_addressed_to_it(world, drafts):
    assert_matrix(world, reverse("clues:letter-detail", args=[drafts["x"].pk]), role_keys(*OFFICE))


def test_the_round_board_is_for_office_staff_only(world, sent):
    assert_matrix(world, reverse("clues:round-letters", args=[world.round.pk]), role_keys(*OFFICE))


def test_the_letter_list_shows_a_partner_only_its_own_letters(world, sent):
    client = Client()
    client.force_login(world.users["partner_x"])
    page = client.get(reverse("clues:letter-list")).context["page_obj"]
    assert [x.pk for x in page] == [sent["x"].pk]


def test_only_the_office_head_approves(world, drafts):
    letters.submit_for_approval(letter=drafts["x"], by=None)
    url = reverse("clues:letter-approve", args=[drafts["x"].pk])
    assert_matrix(world, url, {"office_head": 302}, method="post")
    assert InfoRequestLetter.objects.get(pk=drafts["x"].pk).status == InfoRequestLetter.Status.SENT


def test_a_double_click_on_approve_shows_a_message_not_an_error(world, drafts):
    letters.submit_for_approval(letter=drafts["x"], by=None)
    client = Client()
    client.force_login(world.users["office_head"])
    url = reverse("clues:letter-approve", args=[drafts["x"].pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "不在待审批状态" in response.content.decode()


def test_the_docx_is_an_official_letter(world, sent):
    client = Client()
    client.force_login(world.users["office_staff"])
    response = client.get(reverse("clues:letter-docx", args=[sent["x"].pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    text = document_text(response.content)
    lines = text.splitlines()
    # 红头, 文号, title, 主送; no 密级 line for an internal letter.
    assert lines[0] == office_name()
    assert lines[1] == "示巡办函〔2017〕1号"
    assert "关于提供第一轮被巡察单位有关情况的函" in lines[2]
    assert lines[3] == "协作单位X："
    assert "被巡察单位A" in text
    assert "被巡察单位B" in text
    assert "1. 审计情况" in text
    assert "请于2017年8月10日前反馈" in text
    assert "附件：1．问题线索情况统计表" in lines
    assert "二〇一七年八月三日" in lines
    assert lines[-1] == f"{office_name()}　　　　2017年8月3日印发"


def test_the_docx_marks_secrecy_and_urgency_and_names_a_contact(world, sent):
    letter = sent["x"]
    InfoRequestLetter.objects.filter(pk=letter.pk).update(
        secrecy_level=InfoRequestLetter.Secrecy.CONFIDENTIAL,
        urgency=InfoRequestLetter.Urgency.VERY_URGENT,
        contact_phone="0571-12345678",
    )
    client = Client()
    client.force_login(world.users["office_staff"])
    User.objects.filter(pk=letter.created_by_id).update(last_name="李", first_name="明")
    lines = document_text(client.get(reverse("clues:letter-docx", args=[letter.pk])).content).splitlines()
    assert lines[:4] == ["秘密", "特急", office_name(), "示巡办函〔2017〕1号"]
    # No contact person on the letter: the staff member who drafted it, family name first.
    assert "（联系人：李明，联系电话：0571-12345678）" in lines


def test_the_docx_leaves_out_a_phone_nobody_gave(world, sent):
    letter = sent["x"]
    User.objects.filter(pk=letter.created_by_id).update(last_name="李", first_name="明", phone="")
    InfoRequestLetter.objects.filter(pk=letter.pk).update(contact_phone="")
    client = Client()
    client.force_login(world.users["office_staff"])
    text = document_text(client.get(reverse("clues:letter-docx", args=[letter.pk])).content)
    assert "（联系人：李明）" in text.splitlines()
    assert "联系电话" not in text


def test_the_board_counts_reminders_and_working_days_left(world, sent):
    client = Client()
    client.force_login(world.users["office_staff"])
    with time_machine.travel(datetime(2017, 8, 8, 9, 30, tzinfo=SHANGHAI), tick=False):
        reminders.sweep_due_reminders()
        response = client.get(reverse("clues:round-letters", args=[world.round.pk]))
    board = {x.pk: x for x in response.context["letters"]}
    assert board[sent["x"].pk].reminders_sent == 1
    assert board[sent["x"].pk].days_left == 2  # 8-8 → 8-10


def test_the_board_keeps_a_constant_query_count_as_letters_grow(world, sent, django_capture_on_commit_callbacks):
    from clues.services.partners import register_partner
    from tests.factories import OrganisationFactory
    from tests.helpers import page_queries

    client = Client()
    client.force_login(world.users["office_staff"])
    url = reverse("clues:round-letters", args=[world.round.pk])
    few = page_queries(client, url)
    for n in range(8):
        register_partner(
            by=None, org_unit=OrganisationFactory(), category="other", sort_order=10 + n, request_items=["情况"]
        )
    with django_capture_on_commit_callbacks(execute=True):
        for letter in letters.create_round_letters(inspection_round=world.round, by=None):
            send(letter, world)
    assert len(client.get(url).context["letters"]) == 10
    assert page_queries(client, url) == few


def test_a_refused_action_never_redirects_to_another_site(world, drafts):
    client = Client()
    client.force_login(world.users["office_head"])
    url = reverse("clues:letter-approve", args=[drafts["x"].pk])  # still a draft: refused
    response = client.post(url, HTTP_REFERER="https://evil.example.com/")
    assert response.status_code == 302
    assert response["Location"] == reverse("clues:letter-list")


def test_the_letter_board_exports_what_is_on_screen(world, sent):

    from tests.conftest import assert_matrix, role_keys

    url = reverse("clues:round-letters-export", args=[world.round.pk])
    assert_matrix(world, url, role_keys("office_head", "office_staff", "clue_custodian"))
    client = Client()
    client.force_login(world.users["office_staff"])
    rows = export_rows(client.get(url).content)
    assert len(rows) == 3  # header and the two letters
    assert {row[1] for row in rows[1:]} == {sent["x"].doc_number, sent["y"].doc_number}
    InfoRequestLetter.objects.filter(pk=sent["y"].pk).update(status=InfoRequestLetter.Status.ACCEPTED)
    overdue = export_rows(client.get(url, {"overdue": "1"}).content)
    assert [row[1] for row in overdue[1:]] == [sent["x"].doc_number]  # due 2017-08-10, still unanswered


def test_a_partner_exports_only_its_own_letters(world, sent):

    client = Client()
    client.force_login(world.users["partner_x"])
    rows = export_rows(client.get(reverse("clues:letter-list-export")).content)
    assert [row[0] for row in rows[1:]] == [sent["x"].doc_number]


def test_a_period_ending_before_it_starts_is_refused_once_in_words(world, drafts):
    """The database constraint's own name ("letter_period_in_order") once reached the page, twice:
    the edit page now shows its sentence, once (the form draws its non-field errors itself)."""
    letter = drafts["x"]
    before = letter.period_from
    data = {k: v for k, v in LetterForm.initial_for(letter).items() if v is not None}
    data |= {"inspected_units": [u.pk for u in data["inspected_units"]]}
    data |= {"period_from": "2017-06-30", "period_to": "2017-01-01"}
    client = Client()
    client.force_login(world.users["office_staff"])
    response = client.post(reverse("clues:letter-edit", args=[letter.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("时间范围止不能早于时间范围起。") == 1
    assert "letter_period_in_order" not in body
    letter.refresh_from_db()
    assert letter.period_from == before
