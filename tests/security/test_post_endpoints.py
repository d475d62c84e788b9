"""Every URL that accepts POST has an HTTP-level permission test here.

`POST_ENDPOINTS` names, for each such URL, what its arguments point at, one role that is let
in, and the roles that get a 404. A POST from a refused role or an anonymous visitor must
change nothing in the database; the role that is let in proves the object exists (a 404 for
a missing object would prove nothing). `test_every_post_endpoint_is_listed` walks the URL
patterns and fails on a view that accepts POST and is missing from the table, so a new
endpoint cannot land without its permission test. The admin is left out: it is Django's own
and is checked in tests/core/test_admin_access.py.
"""

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clues.models import InfoRequestLetter, Receiver
from clues.services import dispositions, letters, opinion, replies
from clues.services.partners import register_partner
from core.models import Organisation
from core.services.notifications import notify
from liaison.models import RectificationReport
from liaison.services import feedback, handovers, ledger
from talentpool.services import draw as draws
from talentpool.services.cross_staffing import create_zone
from talentpool.services.recusals import declare_recusal
from tests.clues.conftest import send
from tests.clues.lifecycle import handed, proposed, received, register, step, transfer
from tests.conftest import World, make_user
from tests.core.stuck_fixtures import stuck_letter_delivery, stuck_reminder
from tests.helpers import logged_in
from tests.liaison.ledger_fixtures import PLAN, appoint, draft_feedback, evidence
from tests.talentpool.secondment_fixtures import pooled, requested, sent

pytestmark = pytest.mark.django_db

# Markers in a view's source that it handles POST (a class-based view: a post() method).
POST_MARKERS = ("require_POST", "require_http_methods", '"POST"', "request.POST", "request.FILES")
# Tables a request writes whatever the view does: sessions, login throttling.
UNWATCHED_APPS = {"sessions", "axes"}


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def accepts_post(view: Callable[..., Any]) -> bool:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    # getsource of the undecorated function includes its decorator lines.
    source = inspect.getsource(inspect.unwrap(view))
    return any(marker in source for marker in POST_MARKERS)


def post_url_names() -> set[str]:
    return {name for name, view in _walk(get_resolver()) if accepts_post(view)}


# ------------------------------------------------------------------ what the URLs point at


def _user(world: World, key: str, *roles: str, organisation: Organisation | None = None) -> None:
    if key not in world.users:
        world.users[key] = make_user(key, *roles, organisation=organisation)


def _office() -> Organisation:
    return Organisation.objects.get(name="巡察办")


def _pools(world: World) -> None:
    """The pool manager and the HR contacts of home units X and Y (as in the talentpool tests)."""
    _user(world, "pool_manager", "pool_manager", organisation=_office())
    _user(world, "contact_x", "home_unit_contact", organisation=Organisation.objects.create(name="区人社局"))
    _user(world, "contact_y", "home_unit_contact", organisation=Organisation.objects.create(name="区审计局"))


def _request(world: World) -> int:
    _pools(world)
    return sent(world, requested(world, pooled(world.users["contact_x"].organisation))).pk


def _zone(world: World) -> int:
    return create_zone(
        by=None,
        name="协作区",
        supervision_office=world.partner_x,
        investigation_office=world.partner_y,
        townships=[world.unit_a.org_unit],
    ).pk


def _draw(world: World) -> int:
    _pools(world)
    pooled(world.users["contact_x"].organisation)
    return draws.draw_candidates(
        group=world.group_a, skill_mix={"finance_audit": 1}, yearly_cap=2, by=world.users["office_staff"]
    ).pk


def _officers(world: World) -> None:
    """Liaison offices for units A and B with their officers (liaison_b joins the world)."""
    _user(world, "liaison_b", "liaison_officer", organisation=world.unit_b.org_unit)
    appoint(world, world.unit_a, world.users["liaison_a"])
    appoint(world, world.unit_b, world.users["liaison_b"])


def _delivered_problem(world: World) -> Any:
    _officers(world)
    draft, problem = draft_feedback(world)
    leader = world.users["leader_a"]
    feedback.approve_feedback(by=leader, feedback=draft)
    feedback.deliver_feedback(by=leader, feedback=draft)
    return problem


def _item(world: World) -> int:
    return ledger.add_item(by=world.users["liaison_a"], problem=_delivered_problem(world), **PLAN).pk


def _report(world: World) -> int:
    _delivered_problem(world)
    return RectificationReport.objects.filter(inspected_unit=world.unit_a).first().pk


def _handover(world: World) -> int:
    _officers(world)
    return handovers.request_materials(
        by=world.users["member_a"],
        inspected_unit=world.unit_a,
        item="材料",
        category="documents",
        due_at=date(2017, 9, 8),
    ).pk


def _partners(world: World) -> None:
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    register_partner(by=None, org_unit=world.partner_y, category="petition", sort_order=2, request_items=["信访情况"])


def _draft(world: World) -> int:
    _partners(world)
    created = letters.create_round_letters(inspection_round=world.round, by=world.users["office_staff"])
    return next(letter.pk for letter in created if letter.partner.org_unit_id == world.partner_x.pk)


def _sent_letter(world: World) -> int:
    return send(InfoRequestLetter.objects.get(pk=_draft(world)), world).pk


def _reply(world: World) -> int:
    letter = InfoRequestLetter.objects.get(pk=_sent_letter(world))
    partner = world.users["partner_x"]
    upload, name = evidence()
    replies.attach_file(letter=letter, by=partner, upload=upload, name=name, cover_letter=True)
    replies.declare_nil_return(letter=letter, by=partner, statement="经查，无相关问题线索。")
    return replies.submit_reply(letter=letter, by=world.users["partner_x"]).pk


def _opinion(world: World) -> int:
    return opinion.record_opinion_item(
        inspection_round=world.round,
        by=world.users["office_staff"],
        inspected_unit=world.unit_a,
        site_name="本地新闻网",
        title="网民反映被巡察单位A办事难",
        relevance="relevant",
    ).pk


def _case(world: World) -> int:
    clue = step(world, received(world), "preliminary_verification")
    return dispositions.open_case(
        clues=[clue],
        by=world.users["commission_receiver"],
        case_number="C-1",
        filed_at=date(2017, 12, 1),
        subjects=["甲"],
    ).pk


def _notification(world: World) -> list[Any]:
    notify(recipients=[world.users["outsider"], world.users["member_a"]], title="通知")
    return []


@dataclass(frozen=True)
class Post:
    """One POST endpoint: its URL arguments, one role let in, the roles that get a 404."""

    args: Callable[[World], list[Any]] = lambda world: []
    may: str = "office_staff"
    refused: tuple[str, ...] = ("outsider",)
    anonymous: int = 302  # to the login page
    logs_out: bool = False  # the role let in lands on the login page
    data: dict[str, Any] = field(default_factory=dict)


OFFICE_ONLY = ("member_a", "partner_x", "outsider")
ROUND = lambda world: [world.round.pk]  # noqa: E731
UNIT_A = lambda world: [world.unit_a.pk]  # noqa: E731
PAPER = {"delivered_on": "2017-08-04", "method": "by_hand", "receiver_name": "王收发"}

POST_ENDPOINTS: dict[str, Post] = {
    # Django's account views: anyone may post; nothing is closed to refuse.
    "login": Post(may="outsider", refused=(), anonymous=200),
    "logout": Post(may="outsider", refused=(), logs_out=True),
    "password_change": Post(may="outsider", refused=()),
    # Stuck work: the office head and the system administrator only (office staff too get a 404).
    "core:stuck-reminder": Post(
        lambda world: [stuck_reminder(world).pk, "requeue"],
        may="office_head",
        refused=("office_staff", "partner_x", "liaison_a", "member_a", "outsider"),
    ),
    "core:stuck-delivery": Post(
        lambda world: [stuck_letter_delivery(world).pk, "cancel"],
        may="office_head",
        refused=("office_staff", "partner_x", "liaison_a", "member_a", "outsider"),
        data={"reason": "已纸质送达"},
    ),
    "core:stuck-requeue-all": Post(
        lambda world: stuck_reminder(world) and [],
        may="office_head",
        refused=("office_staff", "clue_custodian", "partner_x", "member_a", "outsider"),
    ),
    # The office's document templates: the office head only.
    "core:document-template-upload": Post(
        lambda world: ["info_request_letter"],
        may="office_head",
        refused=("office_staff", "clue_custodian", "partner_x", "liaison_a", "member_a", "outsider"),
    ),
    "core:document-template-revert": Post(
        lambda world: ["info_request_letter"],
        may="office_head",
        refused=("office_staff", "clue_custodian", "partner_x", "liaison_a", "member_a", "outsider"),
    ),
    # Marks the reader's own notifications only.
    "core:inbox-mark-read": Post(_notification, may="member_a", refused=()),
    # The user's own profile: anyone logged in edits their own, nobody else's (no id in the URL).
    "core:profile": Post(may="member_a", refused=(), data={"email": "member@example.gov.cn"}),
    "inspection:round-create": Post(refused=OFFICE_ONLY),
    "inspection:round-edit": Post(ROUND, refused=("partner_x", "outsider")),
    "inspection:round-move": Post(ROUND, may="office_head", refused=OFFICE_ONLY, data={"to": "approved"}),
    "inspection:round-add": Post(lambda world: [world.round.pk, "group"], refused=("partner_x", "outsider")),
    "talentpool:pool-nominate": Post(lambda world: _pools(world) or [], may="pool_manager", refused=OFFICE_ONLY),
    "talentpool:pool-import": Post(lambda world: _pools(world) or [], may="pool_manager", refused=OFFICE_ONLY),
    "talentpool:pool-entry-move": Post(
        lambda world: [pooled(Organisation.objects.create(name="区财政局")).pk, "suspend"],
        may="office_head",
        refused=OFFICE_ONLY,
    ),
    **{
        f"talentpool:secondment-{action}": Post(
            lambda world: [_request(world)], may=may, refused=("contact_y", "member_b", "outsider")
        )
        for action, may in (
            ("send", "office_staff"),
            ("escalate", "office_staff"),
            ("replace", "office_staff"),
            ("confirm", "office_staff"),
            ("complete", "office_staff"),
            ("cancel", "office_staff"),
            ("accept", "contact_x"),
            ("decline", "contact_x"),
            ("report", "leader_a"),
            ("evaluate", "leader_a"),
        )
    },
    # 代为登记: the office's recusal records; the pool manager confirms but keeps no recusal records.
    "talentpool:secondment-declare": Post(
        lambda world: [_request(world), world.unit_a.pk],
        may="office_staff",
        refused=("pool_manager", "contact_x", "leader_a", "member_b", "outsider"),
    ),
    "talentpool:secondment-paper-delivery": Post(
        lambda world: [_request(world)], refused=("contact_x", "contact_y", "member_b", "outsider"), data=PAPER
    ),
    "talentpool:group-draw": Post(lambda world: [world.group_a.pk], refused=OFFICE_ONLY),
    "talentpool:group-send-drafts": Post(lambda world: [world.group_a.pk], refused=OFFICE_ONLY),
    **{
        f"talentpool:draw-{action}": Post(lambda world: [_draw(world)], refused=OFFICE_ONLY)
        for action in ("accept", "replace", "override")
    },
    "talentpool:recusal-declare": Post(UNIT_A, may="member_a", refused=("member_b", "partner_x", "outsider")),
    "talentpool:recusal-decide": Post(
        lambda world: [
            declare_recusal(
                by=None,
                person=world.users["member_a"].person,
                inspected_unit=world.unit_a,
                has_conflict=True,
                relationships=[{"type": "spouse", "related_name": "钱某某", "related_position": "局长"}],
            ).pk
        ],
        refused=OFFICE_ONLY,
    ),
    "talentpool:cross-staffing": Post(refused=OFFICE_ONLY),
    "talentpool:zone-activate": Post(lambda world: [_zone(world)], refused=OFFICE_ONLY),
    "liaison:office-set-up": Post(UNIT_A, refused=("liaison_a", "member_a", "outsider")),
    "liaison:officer-appoint": Post(
        lambda world: _officers(world) or [world.unit_a.pk], refused=("liaison_a", "member_a", "outsider")
    ),
    "liaison:contact-log": Post(UNIT_A, may="member_a", refused=("member_b", "partner_x", "outsider")),
    "liaison:handover-list": Post(UNIT_A, may="member_a", refused=("member_b", "partner_x", "outsider")),
    "liaison:handover-action": Post(
        lambda world: [_handover(world), "deliver"], may="liaison_a", refused=("liaison_b", "partner_x", "outsider")
    ),
    "liaison:feedback": Post(UNIT_A, may="leader_a", refused=("member_b", "partner_x", "outsider")),
    **{
        f"liaison:{name}": Post(
            lambda world: draft_feedback(world) and [world.unit_a.pk],
            may="leader_a",
            refused=("member_b", "partner_x", "outsider"),
        )
        for name in ("problem-add", "feedback-approve", "feedback-deliver")
    },
    "liaison:ledger-import": Post(
        lambda world: _delivered_problem(world) and [world.unit_a.pk], refused=("liaison_b", "member_b", "outsider")
    ),
    "liaison:item-add": Post(
        lambda world: [_delivered_problem(world).pk], may="liaison_a", refused=("liaison_b", "member_b", "outsider")
    ),
    "liaison:item-progress": Post(
        lambda world: [_item(world)], may="liaison_a", refused=("liaison_b", "member_b", "outsider")
    ),
    "liaison:item-step": Post(
        lambda world: [_item(world), "submit-plan"], may="liaison_a", refused=("liaison_b", "member_b", "outsider")
    ),
    "liaison:report-submit": Post(
        lambda world: [_report(world)], may="liaison_a", refused=("liaison_b", "member_b", "outsider")
    ),
    **{
        f"clues:letter-{action}": Post(
            lambda world: [_draft(world)], may=may, refused=("partner_x", "member_a", "outsider")
        )
        for action, may in (
            ("edit", "office_staff"),
            ("submit", "office_staff"),
            ("approve", "office_head"),
            ("withdraw", "office_staff"),
        )
    },
    "clues:letter-supplementary": Post(
        lambda world: [_sent_letter(world)], refused=("partner_x", "member_a", "outsider")
    ),
    # The office records the paper delivery of a sent letter (线下送达); the partner itself may not.
    "clues:letter-paper-delivery": Post(
        lambda world: [_sent_letter(world)], refused=("partner_x", "member_a", "outsider"), data=PAPER
    ),
    **{
        f"clues:letter-{action}": Post(
            lambda world: [_sent_letter(world)], may="partner_x", refused=("partner_y", "member_a", "outsider")
        )
        for action in ("upload", "attach", "nil-return", "answer")
    },
    "clues:reply-accept": Post(
        lambda world: [_reply(world)], may="clue_custodian", refused=("partner_x", "member_a", "outsider")
    ),
    "clues:reply-return": Post(
        lambda world: [_reply(world)], may="clue_custodian", refused=("partner_x", "member_a", "outsider")
    ),
    "clues:round-letters-create": Post(lambda world: _partners(world) or [world.round.pk], refused=OFFICE_ONLY),
    "clues:round-letters-approve": Post(
        lambda world: _draft(world) and [world.round.pk], may="office_head", refused=OFFICE_ONLY
    ),
    # Ticked letters of the round's board, submitted (or approved) after a confirmation page.
    "clues:round-letters-bulk": Post(
        lambda world: _draft(world) and [world.round.pk], data={"action": "submit"}, refused=OFFICE_ONLY
    ),
    # POST starts the export's background job (core.jobs); a GET of a small one is the file.
    "clues:clue-export": Post(may="office_head", refused=("office_staff", "member_a", "partner_x", "outsider")),
    "clues:opinion-list": Post(ROUND, refused=("partner_x", "outsider")),
    "clues:opinion-convert": Post(lambda world: [_opinion(world)], refused=("partner_x", "member_b", "outsider")),
    # Group members register clues of their own units too.
    "clues:clue-register": Post(may="clue_custodian", refused=("partner_x", "outsider")),
    "clues:clue-hand-over": Post(lambda world: register(world) and [], may="clue_custodian", refused=OFFICE_ONLY),
    "clues:clue-grade-bulk": Post(
        lambda world: register(world) and [], may="clue_custodian", data={"grade": "A"}, refused=OFFICE_ONLY
    ),
    **{
        f"clues:clue-{action}": Post(
            lambda world: [register(world).pk], may="clue_custodian", refused=("member_a", "partner_x", "outsider")
        )
        for action in ("reveal", "grade", "duplicate", "out-of-scope")
    },
    **{
        f"clues:clue-{action}": Post(
            lambda world: [handed(world).pk], may="leader_a", refused=("member_b", "partner_x", "outsider")
        )
        for action in ("assess",)
    },
    "clues:clue-send-back": Post(
        lambda world: [proposed(world).pk], may="office_head", refused=("leader_a", "partner_x", "outsider")
    ),
    "clues:clue-dispose": Post(
        lambda world: [received(world).pk], may="commission_receiver", refused=("orgdept_receiver", "outsider")
    ),
    "clues:clue-unit-done": Post(
        lambda world: [received(world, Receiver.INSPECTED_UNIT).pk],
        may="clue_custodian",
        refused=("member_b", "partner_x", "outsider"),
    ),
    "clues:transfer-proposals": Post(
        lambda world: proposed(world) and [], may="office_head", refused=("member_a", "partner_x", "outsider")
    ),
    "clues:transfer-send": Post(
        lambda world: proposed(world) and [], may="office_head", refused=("member_a", "partner_x", "outsider")
    ),
    "clues:transfer-receive": Post(
        lambda world: [transfer(world, [proposed(world)]).pk],
        may="commission_receiver",
        refused=("orgdept_receiver", "member_b", "outsider"),
    ),
    "clues:case-create": Post(
        lambda world: [step(world, received(world), "preliminary_verification").transfer_items.get().transfer_id],
        may="commission_receiver",
        refused=("orgdept_receiver", "member_b", "outsider"),
    ),
    "clues:case-detail": Post(
        lambda world: [_case(world)], may="commission_receiver", refused=("orgdept_receiver", "member_b", "outsider")
    ),
    # POST starts the workbook's background job (core.jobs).
    "reports:dashboard-xlsx": Post(may="office_head", refused=("member_a", "partner_x", "outsider")),
    "reports:deadlines-xlsx": Post(may="office_staff", refused=("partner_x", "outsider")),
    "clues:meeting-list": Post(may="commission_receiver", refused=("orgdept_receiver", "member_a", "outsider")),
}


def test_every_post_endpoint_is_listed():
    found = post_url_names()
    assert found - set(POST_ENDPOINTS) == set(), "POST endpoints without a permission test: add them to POST_ENDPOINTS"
    assert set(POST_ENDPOINTS) - found == set(), "listed names that no longer accept POST"


def test_the_walk_finds_a_known_post_view_and_skips_a_get_only_one():
    """The detection itself: a view decorated with require_POST counts, a GET-only list does not."""
    found = post_url_names()
    assert "clues:letter-approve" in found
    assert "clues:letter-list" not in found
    assert not any(name.startswith("admin:") for name in found)


def database_rows() -> dict[str, list[str]]:
    """Every row of every model but sessions and login throttling, as text."""
    return {
        model._meta.label: [repr(row) for row in model._base_manager.order_by("pk").values_list()]
        for model in apps.get_models()
        if model._meta.app_label not in UNWATCHED_APPS
    }


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("name", sorted(POST_ENDPOINTS))
def test_a_refused_post_is_a_404_and_changes_nothing(world, name, django_capture_on_commit_callbacks):
    endpoint = POST_ENDPOINTS[name]
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse(name, args=endpoint.args(world))
    clients = {key: logged_in(world.users[key]) for key in endpoint.refused}
    before = database_rows()

    wrong = []
    for key, client in clients.items():
        status = client.post(url, endpoint.data).status_code
        if status != 404:
            wrong.append(f"{key}: expected 404, got {status}")
    anonymous = Client().post(url, endpoint.data)
    if anonymous.status_code != endpoint.anonymous or (
        anonymous.status_code == 302 and not _is_login_redirect(anonymous)
    ):
        wrong.append(f"anonymous: expected {endpoint.anonymous}, got {anonymous.status_code}")
    assert not wrong, f"POST {url}\n" + "\n".join(wrong)
    assert database_rows() == before, f"POST {url} by a refused user changed the database"

    # The object exists and the role named is let in: the 404s above were refusals.
    allowed = logged_in(world.users[endpoint.may]).post(url, endpoint.data)
    assert allowed.status_code in (200, 302), f"{endpoint.may}: got {allowed.status_code}"
    assert _is_login_redirect(allowed) == endpoint.logs_out
