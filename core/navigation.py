from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import CLUE_HOLDING_ROLES, STAFF_PAGE_ROLES, Role

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from core.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | _StrPromise
    url: str
    active: bool = False
    badge: int | None = None


# Who sees the deadline board (reports.selectors.deadlines.BOARD_ROLES; not imported: core stays below the apps).
DEADLINE_BOARD_ROLES = (Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN, Role.POOL_MANAGER)


# (label, url name, namespace that marks it active, who sees it)
def nav_items_for(user: User, *, current_namespace: str, current_name: str, unread: int) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = [NavItem(_("Workbench"), reverse("core:home"), current_name == "home")]
    if user.has_role("office_head", "office_staff", "leading_group_viewer", "clue_custodian"):
        items.append(
            NavItem(
                _("Dashboard"),
                reverse("reports:dashboard"),
                current_namespace == "reports" and current_name == "dashboard",
            )
        )
    if user.has_perm("inspection.view_inspectionround") or user.has_role("group_leader", "group_member"):
        items.append(
            NavItem(_("Inspection rounds"), reverse("inspection:round-list"), current_namespace == "inspection")
        )
    if user.has_perm("clues.view_inforequestletter") or user.has_role("partner_user"):
        on_letters = current_namespace == "clues" and current_name.startswith(
            ("letter", "round-letters", "batch", "opinion")
        )
        items.append(NavItem(_("Letters"), reverse("clues:letter-list"), on_letters))
    in_clues = current_namespace == "clues"
    if user.has_perm("clues.view_clue") or user.has_role(*CLUE_HOLDING_ROLES):
        items.append(NavItem(_("Clues"), reverse("clues:clue-list"), in_clues and current_name.startswith("clue")))
        items.append(
            NavItem(
                _("Transfers"),
                reverse("clues:transfer-list"),
                in_clues and current_name.startswith(("transfer", "case")),
            )
        )
    if user.has_role("office_head", "office_staff", "clue_custodian", "leading_group_viewer"):
        items.append(NavItem(_("Clue funnel"), reverse("clues:funnel"), in_clues and current_name == "funnel"))
    in_pools = current_namespace == "talentpool"
    if user.has_perm("talentpool.view_talentpoolentry"):
        items.append(
            NavItem(_("Talent pools"), reverse("talentpool:pool-list"), in_pools and current_name.startswith("pool"))
        )
    if user.has_perm("talentpool.view_secondmentrequest") or user.has_role("home_unit_contact", "group_leader"):
        items.append(
            NavItem(
                _("Secondments"),
                reverse("talentpool:secondment-list"),
                in_pools and current_name.startswith(("secondment", "group-draw", "draw")),
            )
        )
    if user.has_perm("talentpool.view_caseworkassignment"):
        items.append(
            NavItem(
                _("Cross-staffing"), reverse("talentpool:cross-staffing"), in_pools and current_name == "cross-staffing"
            )
        )
    if user.has_role("office_head", "office_staff", "leading_group_viewer"):
        items.append(
            NavItem(
                _("Scorecards"),
                reverse("reports:scorecards"),
                current_namespace == "reports" and current_name == "scorecards",
            )
        )
    in_liaison = current_namespace == "liaison"
    if user.has_perm("liaison.view_liaisonoffice"):
        items.append(
            NavItem(
                _("Liaison offices"),
                reverse("liaison:office-home"),
                in_liaison and current_name != "rectification-overview",
            )
        )
        items.append(
            NavItem(
                _("Rectification"), reverse("liaison:rectification-overview"), current_name == "rectification-overview"
            )
        )
    if user.has_role("liaison_officer"):
        # The officer's duties (docs/domain.md §5.2 rule 2): the unit, handovers, the ledger, the feedback.
        on_page = {"handover-list": "handovers", "ledger": "ledger", "feedback": "feedback"}.get(current_name, "")
        items.append(NavItem(_("My unit"), reverse("liaison:my-unit"), in_liaison and not on_page))
        for page, label in (
            ("handovers", _("Handovers")),
            ("ledger", _("Rectification ledger")),
            ("feedback", _("Feedback problems")),
        ):
            items.append(NavItem(label, reverse("liaison:my-unit-page", args=[page]), in_liaison and on_page == page))
    if user.has_role("group_leader", "group_member"):
        items.append(
            NavItem(_("My recusal declarations"), reverse("talentpool:recusal-mine"), current_name == "recusal-mine")
        )
    if user.has_perm("clues.add_standingcommitteemeeting"):
        items.append(
            NavItem(_("Committee meetings"), reverse("clues:meeting-list"), in_clues and current_name == "meeting-list")
        )
    if user.has_role(*DEADLINE_BOARD_ROLES):
        items.append(
            NavItem(
                _("Deadlines"),
                reverse("reports:deadlines"),
                current_namespace == "reports" and current_name.startswith("deadlines"),
            )
        )
    items.append(NavItem(_("Inbox"), reverse("core:inbox"), current_name == "inbox", unread or None))
    if user.has_role(*STAFF_PAGE_ROLES) or user.is_superuser:
        items.append(NavItem(_("System status"), reverse("core:health"), current_name == "health"))
    if user.has_perm("core.resolve_reminder") or user.has_perm("core.resolve_delivery"):
        items.append(NavItem(_("Stuck work"), reverse("core:stuck-work"), current_name.startswith("stuck")))
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index")))
    return items
