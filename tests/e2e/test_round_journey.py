"""The round journey in Chromium: the office plans round 2 and draws a group from the pool, sends
the secondment letters; a home unit declines with a reason; the office replaces the person; the
round page shows the seconded share."""

import pytest
from playwright.sync_api import Page, expect

from talentpool.models import SecondmentRequest
from talentpool.services.pools import nominate
from tests.conftest import make_user
from tests.e2e.test_letter_journey import log_in
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_office_plans_a_round_draws_sends_and_replaces_a_refused_cadre(live_server, world, page: Page, artifacts_dir):
    home = OrganisationFactory(name="区财政局")
    make_user("hr_finance", "home_unit_contact", organisation=home)
    for n in range(3):
        nominate(
            by=None, pool_type="inspection", specialty="finance_audit", admitted=True,
            person=PersonFactory(name=f"财审干部{n}", home_unit=home),
        )  # fmt: skip
    target = OrganisationFactory(name="区文旅局")
    base = live_server.url

    # The office plans round 2: the round, a group, a unit.
    log_in(page, base, "staff")
    page.goto(f"{base}/rounds/")
    page.click("#new-round")
    page.fill("#id_committee_term", "13")
    page.fill("#id_year", "2018")
    page.fill("#id_round_no", "2")
    page.fill("#id_title", "十三届区委第二轮巡察")
    page.click("#round-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("十三届区委第二轮巡察")
    page.fill("#round-planning input[name=number]", "1")
    page.click("#add-group")
    page.select_option("#round-planning select[name=org_unit]", label=target.name)
    page.select_option("#round-planning select[name=group]", label="第1巡察组")
    page.click("#add-unit")
    expect(page.locator("main .plain-list")).to_contain_text("区文旅局")

    # It draws one finance/audit cadre for group 1 and sends the letter.
    page.click("#draw-1")
    page.fill("#draw-form input[name$=finance_audit]", "1")
    page.click("#make-draw")
    expect(page.locator("#candidates tbody tr")).to_have_count(1)
    page.click("#accept-proposal")
    page.click("#send-drafts")
    # Sending is irreversible: a dialog asks first (static/js/ui.js).
    expect(page.locator("dialog.confirm-dialog")).to_be_visible()
    page.click("#confirm-dialog-ok")
    expect(page.locator("#messages")).to_contain_text("已发出1份抽调函")
    first = SecondmentRequest.objects.get()
    assert first.doc_number.startswith("示巡办调〔")

    # The home unit's contact declines with a reason.
    log_in(page, base, "hr_finance")
    page.goto(f"{base}/secondments/{first.pk}/")
    page.select_option("#answer select[name=decline_code]", "workload")
    page.fill("#answer textarea[name=decline_reason]", "本单位年底决算任务重")
    page.click("#decline-request")
    expect(page.locator("#messages")).to_contain_text("已报送巡察办")

    # The office replaces the person: a new request linked to the refused one.
    log_in(page, base, "staff")
    page.goto(f"{base}/secondments/{first.pk}/")
    expect(page.locator("main")).to_contain_text("本单位年底决算任务重")
    page.locator("#office-actions select[name=entry]").select_option(index=1)
    page.click("#replace-request")
    expect(page.locator("#messages")).to_contain_text("替换人选")
    substitute = SecondmentRequest.objects.get(substitute_for=first)
    assert substitute.person != first.person

    # The round page shows the seconded share.
    page.goto(f"{base}/rounds/{first.inspection_round_id}/")
    expect(page.locator("#seconded-share")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "round-plan.png"), full_page=True)
