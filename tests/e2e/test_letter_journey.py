"""The letters journey in Chromium: the office head approves the round's letters after a
confirmation, a partner answers (after fixing a bad row, with a WPS .et), the custodian previews
the rows as read and accepts, and the clues exist."""

import pytest
from playwright.sync_api import Page, expect

from clues.models import Clue, InfoRequestLetter
from clues.services.partners import register_partner
from tests.clues.test_replies import PDF, good_rows, workbook
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("h1").first).to_have_text("工作台")


def test_office_sends_partner_answers_office_accepts(live_server, world, page: Page, tmp_path, artifacts_dir):
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    base = live_server.url

    # Office staff drafts the round's letters and submits the partner's for approval.
    log_in(page, base, "staff")
    page.goto(f"{base}/rounds/{world.round.pk}/letters/")
    page.get_by_role("button", name="向全部协作单位起草函件").click()
    expect(page.locator("#letter-board tbody tr")).to_have_count(1)
    page.locator("#letter-board tbody a").first.click()
    page.get_by_role("button", name="提交审批").click()
    expect(page.locator(".messages, #messages")).to_contain_text("已提交")

    # The office head approves and sends all at once.
    log_in(page, base, "head")
    page.goto(f"{base}/rounds/{world.round.pk}/letters/")
    page.click("#approve-all")
    expect(page.locator("#bulk-rows")).to_contain_text("协作单位")
    page.click("#confirm-bulk")
    letter = InfoRequestLetter.objects.get()
    expect(page.locator("#letter-board")).to_contain_text(letter.doc_number)

    # The partner opens the letter, downloads the template, uploads a workbook with a bad row.
    log_in(page, base, "partner_x")
    page.goto(f"{base}/letters/")
    page.get_by_role("link", name=letter.doc_number).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载Excel模板").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    rows = good_rows(2)
    rows[1][1] = "不存在的单位"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(rows).getvalue())
    page.set_input_files("form[action$='/upload/'] input[name=file]", str(bad))
    page.click("#upload-workbook")
    expect(page.locator("#row-issues")).to_contain_text("被巡察单位")
    expect(page.locator("#row-issues")).to_contain_text("5")
    page.screenshot(path=str(artifacts_dir / "workbook-errors.png"), full_page=True)

    # …fixes it in WPS (saved as an OOXML .et), uploads again, adds the stamped cover letter and submits.
    page.get_by_role("link", name="返回函件").click()
    good = tmp_path / "good.et"
    good.write_bytes(workbook(good_rows(2)).getvalue())
    page.set_input_files("form[action$='/upload/'] input[name=file]", str(good))
    page.click("#upload-workbook")
    expect(page.locator(".kpi")).to_contain_text("2")
    page.get_by_role("link", name="返回函件").click()
    cover = tmp_path / "cover.pdf"
    cover.write_bytes(PDF)
    page.set_input_files("form[action$='/attach/'] input[name=file]", str(cover))
    page.check("input[name=cover_letter]")
    page.click("#upload-attachment")
    page.click("#submit-answer")
    expect(page.locator("#messages")).to_contain_text("已报送")

    # The custodian reviews and accepts: the clues exist.
    log_in(page, base, "custodian")
    page.goto(f"{base}/letters/{letter.pk}/")
    page.click("#accept-answer")
    expect(page.locator("#accept-preview")).to_be_visible()
    page.click("#confirm-accept")
    expect(page.locator("#messages")).to_contain_text("已登记")
    assert Clue.objects.filter(source_partner__org_unit=world.partner_x).count() == 2
    page.screenshot(path=str(artifacts_dir / "letter-accepted.png"), full_page=True)
