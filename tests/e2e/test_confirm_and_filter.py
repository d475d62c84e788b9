"""In Chromium (issue 14 item 5): an irreversible action asks in a dialog and cancelling it
changes nothing; the meeting's clue picker filters as one types."""

import pytest
from playwright.sync_api import Page, expect

from clues.models import Clue, InfoRequestLetter
from clues.services import letters
from clues.services.partners import register_partner
from tests.clues.lifecycle import received
from tests.e2e.test_letter_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_withdrawing_a_letter_asks_first_and_cancel_keeps_it(live_server, world, page: Page):
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    (letter,) = letters.create_round_letters(inspection_round=world.round, by=world.users["office_staff"])
    log_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/letters/{letter.pk}/")
    expect(page.locator(".confirm-check")).to_be_hidden()
    page.get_by_role("button", name="撤回").click()
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("确认撤回此函件")
    page.click("#confirm-dialog-cancel")
    expect(dialog).to_be_hidden()
    assert InfoRequestLetter.objects.get(pk=letter.pk).status == InfoRequestLetter.Status.DRAFT
    page.get_by_role("button", name="撤回").click()
    page.click("#confirm-dialog-ok")
    expect(page.locator("#messages")).to_contain_text("撤回")
    assert InfoRequestLetter.objects.get(pk=letter.pk).status == InfoRequestLetter.Status.WITHDRAWN


def test_the_meeting_clue_picker_filters_as_one_types(live_server, world, page: Page):
    clues = [received(world) for _ in range(9)]
    wanted = clues[4]
    log_in(page, live_server.url, "commission_rx")
    page.goto(f"{live_server.url}/meetings/")
    box = page.locator("input.picker-filter").first
    expect(box).to_be_visible()
    box.fill(wanted.code)
    picker = page.locator("#id_clues")
    expect(picker.locator("label:visible")).to_have_count(1)
    expect(picker.locator("label:visible")).to_contain_text(wanted.code)
    box.fill("")
    expect(picker.locator("label:visible")).to_have_count(Clue.objects.count())
