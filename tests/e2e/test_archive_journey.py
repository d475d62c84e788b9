"""The archive journey in Chromium (issue 13 item 2): the office head takes a round from on site to
archived. Each blocked stage lists what is missing on the round page; once it is fixed the move is
confirmed on a page that says what will change; after the archive the group leader gets 404 on the
round's clue and the office head still reads it."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from clues.services import screening
from inspection.models import InspectionRound
from liaison.services import feedback as feedback_services
from liaison.services import ledger as ledger_services
from tests.clues.lifecycle import handed, register
from tests.e2e.test_letter_journey import log_in
from tests.liaison.ledger_fixtures import ledger_fixture, to_pending  # noqa: F401 - registers the "ledger" fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _confirm(page: Page, round_url: str, to: str, label: str) -> None:
    """From the round page: open the move's confirmation page, read it, confirm."""
    page.goto(round_url)
    page.click(f"#move-{to}")
    expect(page.locator("#move-changes")).to_contain_text(label)
    page.click("#confirm-move")
    expect(page.locator("#messages")).to_contain_text(label)


def test_head_takes_a_round_from_on_site_to_archived(live_server, ledger, page: Page, artifacts_dir):
    world = ledger.world
    InspectionRound.objects.filter(pk=world.round.pk).update(
        status=InspectionRound.Status.ONSITE, actual_exit_date=date(2017, 10, 10)
    )
    clue = handed(world)
    unscreened = register(world)
    base = live_server.url
    round_url = f"{base}/rounds/{world.round.pk}/"
    clue_url = f"{base}/clues/{clue.pk}/"
    unit_a, unit_b = world.unit_a.org_unit.display_name, world.unit_b.org_unit.display_name

    # The leader reads the group's clue while the round is open.
    log_in(page, base, "leader_a")
    assert page.goto(clue_url).status == 200

    # Leaving the site: an unscreened clue blocks the move and is named with its unit.
    log_in(page, base, "head")
    page.goto(round_url)
    expect(page.locator("#move-reporting")).to_be_disabled()
    expect(page.locator("#round-moves")).to_contain_text(f"{unit_a}：1条线索尚未筛查。")
    screening.screen(clue=unscreened, by=world.users["clue_custodian"], grade="B")
    _confirm(page, round_url, "reporting", "报告阶段")
    _confirm(page, round_url, "feedback", "反馈阶段")

    # The feedback stage ends once unit B has its feedback delivered too.
    page.goto(round_url)
    expect(page.locator("#move-rectifying")).to_be_disabled()
    expect(page.locator("#round-moves")).to_contain_text(f"{unit_b}：反馈意见尚未送达。")
    staff = world.users["office_staff"]
    draft = feedback_services.record_feedback(by=staff, inspected_unit=world.unit_b, meeting_date=date(2017, 6, 2))
    feedback_services.add_problem(by=staff, feedback=draft, category="作风建设", description="会议过多")
    feedback_services.deliver_feedback(by=staff, feedback=feedback_services.approve_feedback(by=staff, feedback=draft))
    _confirm(page, round_url, "rectifying", "整改阶段")

    # Evaluation waits for the ledger: unit A's item is neither signed off nor long-term.
    page.goto(round_url)
    expect(page.locator("#move-reviewing")).to_be_disabled()
    expect(page.locator("#round-moves")).to_contain_text(f"{unit_a}：1项整改既未销号，也未转为长期坚持。")
    ledger_services.sign_off(by=world.users["leader_a"], item=to_pending(ledger), note="核验通过")
    _confirm(page, round_url, "reviewing", "整改评估")

    # The archive's confirmation page says who loses the round's clues.
    page.goto(round_url)
    page.click("#move-archived")
    expect(page.locator("#move-changes")).to_contain_text("1条线索将不再对第1巡察组的组员和组长开放")
    page.screenshot(path=str(artifacts_dir / "archive-confirm.png"), full_page=True)
    page.click("#confirm-move")
    expect(page.locator("#messages")).to_contain_text("已归档")
    assert InspectionRound.objects.get(pk=world.round.pk).status == InspectionRound.Status.ARCHIVED
    assert page.goto(clue_url).status == 200  # the office head keeps reading it

    # The leader's reading ended with the archive.
    log_in(page, base, "leader_a")
    assert page.goto(clue_url).status == 404
