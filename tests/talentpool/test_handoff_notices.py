"""Issue 13 item 6: each talent-pool hand-off tells exactly who acts next, in the inbox and by e-mail.

A refusal: the office user who sent the request, the pool managers and the office head (who may
escalate). An escalation: the coordinator (organisation department or commission receivers) and
the home unit's contacts. A declared tie: the office. A decision: the declarant.
"""

from typing import Any

import pytest

from core.models import Notification, OutboundEmail
from talentpool.services import secondments
from talentpool.services.recusals import decide_recusal, declare_recusal
from tests.conftest import make_user
from tests.factories import PersonFactory
from tests.talentpool import secondment_fixtures
from tests.talentpool.secondment_fixtures import declined, sent

pytestmark = pytest.mark.django_db
sec_world = secondment_fixtures.sec_world
TIE = [{"type": "spouse", "related_name": "钱某某", "related_position": "局长"}]


def told(action: Any) -> set[str]:
    """The usernames notified by `action` (hand-off notices only)."""
    Notification.objects.all().delete()
    action()
    notes = Notification.objects.filter(kind=Notification.Kind.HANDOFF).select_related("recipient")
    return {note.recipient.username for note in notes}


def test_a_refusal_tells_the_sender_the_pool_managers_and_the_head(sec_world):
    request = sent(sec_world)
    who = told(
        lambda: secondments.decline_request(
            request=request, by=sec_world.users["contact_x"], decline_code="workload", decline_reason="年底任务重"
        )
    )
    assert who == {"staff", "pool_mgr", "head"}


@pytest.mark.parametrize(
    "reason", ["人手紧张，无法抽调", "人手紧张，无法抽调。", "人手紧张，无法抽调！", "人手紧张，无法抽调?"]
)
def test_a_refusal_s_notice_ends_the_reason_with_one_full_stop(sec_world, reason):
    request = sent(sec_world)
    secondments.decline_request(
        request=request, by=sec_world.users["contact_x"], decline_code="workload", decline_reason=reason
    )
    note = Notification.objects.filter(recipient=sec_world.users["office_head"]).latest("pk")
    assert note.body == "理由：人手紧张，无法抽调。请提请协调或另行提名人选。"


def test_an_escalation_tells_the_organisation_department_and_the_home_unit(sec_world):
    request = declined(sec_world)
    who = told(
        lambda: secondments.escalate_request(
            request=request, by=sec_world.users["office_head"], escalated_to="organization_dept"
        )
    )
    assert who == {"orgdept_rx", "hr_x"}
    # The home unit may act on its page; the coordinator gets no link to a page it cannot open.
    links = dict(Notification.objects.values_list("recipient__username", "url"))
    assert links["hr_x"] == secondments.detail_url(request)
    assert links["orgdept_rx"] == ""


def test_an_escalation_to_the_commission_tells_its_receivers(sec_world):
    request = declined(sec_world)
    who = told(
        lambda: secondments.escalate_request(
            request=request, by=sec_world.users["office_head"], escalated_to="discipline_commission"
        )
    )
    assert who == {"commission_rx", "hr_x"}


def test_a_declared_tie_tells_the_office_and_a_plain_no_tells_nobody(world):
    member = world.users["member_a"]
    assert (
        told(lambda: declare_recusal(by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=False))
        == set()
    )
    who = told(
        lambda: declare_recusal(
            by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE
        )
    )
    assert who == {"head", "staff"}


def test_a_decision_tells_the_declarant_by_inbox_and_email(world):
    member = world.users["member_a"]
    member.email = "member@example.gov.cn"
    member.save()
    declaration = declare_recusal(
        by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE
    )
    who = told(lambda: decide_recusal(declaration=declaration, by=world.users["office_staff"], decision="recuse"))
    assert who == {"member_a"}
    assert OutboundEmail.objects.filter(recipient="member@example.gov.cn").count() == 1


def test_a_decision_on_a_declaration_filed_for_someone_without_an_account_tells_who_filed_it(world):
    cadre = PersonFactory(name="借调干部")
    filer = make_user("filer", "office_staff")
    declaration = declare_recusal(
        by=filer, person=cadre, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE
    )
    who = told(lambda: decide_recusal(declaration=declaration, by=world.users["office_head"], decision="allowed"))
    assert who == {"filer"}
