"""A secondment in Chromium, from the draw to group membership, for a cadre without an account
(issue 13 item 4): the office draws and sends the letter, the home unit releases the cadre, the
office records the cadre's signed recusal form on their behalf and confirms with an account."""

import pytest
from playwright.sync_api import Page, expect

from core import delivery
from core.models import User
from inspection.models import GroupMembership
from talentpool.models import SecondmentRequest
from tests.e2e.test_letter_journey import log_in
from tests.talentpool.secondment_fixtures import home, pooled, sec_world  # noqa: F401 - registers the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_cadre_without_an_account_is_drawn_released_declared_and_joins_the_group(
    live_server,
    sec_world,  # noqa: F811 - fixture
    page: Page,
    tmp_path,
    artifacts_dir,
):
    world = sec_world
    entry = pooled(home(world), name="抽调干部")
    form = tmp_path / "回避申请表.pdf"
    form.write_bytes(PDF)
    base = live_server.url

    # The office draws one finance cadre for group A, accepts the proposal and sends the letter.
    log_in(page, base, "staff")
    page.goto(f"{base}/secondments/groups/{world.group_a.pk}/draw/")
    page.fill("input[name=mix_finance_audit]", "1")
    page.click("#make-draw")
    expect(page.locator("#candidates")).to_contain_text("抽调干部")
    page.click("#accept-proposal")
    page.click("#send-drafts")
    # Sending is irreversible: a dialog asks first (static/js/ui.js).
    page.click("#confirm-dialog-ok")
    expect(page.locator("main")).not_to_contain_text("草稿")
    request = SecondmentRequest.objects.get(person=entry.person)
    delivery.deliver_record(request)  # the worker's part, at once
    detail = f"{base}/secondments/{request.pk}/"

    # The home unit's contact releases the cadre.
    log_in(page, base, "hr_x")
    page.goto(detail)
    page.click("#accept-request")
    expect(page.locator("main")).to_contain_text("已同意")

    # Confirming is refused while the declaration is missing.
    log_in(page, base, "staff")
    page.goto(detail)
    expect(page.locator("#declarations")).to_contain_text("未申报")
    page.click("#confirm-request")
    expect(page.locator("main")).to_contain_text(world.unit_a.org_unit.name)
    assert SecondmentRequest.objects.get(pk=request.pk).status == "accepted"

    # The office records the cadre's signed paper form on their behalf.
    page.locator("#declarations details summary").first.click()
    declare = page.locator("form.declare-on-behalf").first
    declare.locator("input[name=has_conflict][value='0']").check()
    declare.locator("textarea[name=note]").fill("本人签字确认无回避情形")
    declare.locator("input[name=signed_form]").set_input_files(str(form))
    declare.locator("button[type=submit]").click()
    expect(page.locator("#declarations")).to_contain_text("代为登记")
    expect(page.locator("#declarations")).to_contain_text("本人签字确认无回避情形")

    # Confirmed with an account: the cadre is a seconded member of the group.
    page.check("input[name=account]")
    page.click("#confirm-request")
    expect(page.locator("main")).to_contain_text("已确认")
    page.screenshot(path=str(artifacts_dir / "secondment.png"), full_page=True)
    membership = GroupMembership.objects.get(person=entry.person)
    assert (membership.group_id, membership.is_seconded) == (world.group_a.pk, True)
    account = User.objects.get(person=entry.person)
    assert not account.has_usable_password()
