"""The roles of docs/domain.md §5.1, as Django groups, and the model permissions each role holds.

A model permission here means "every row of that model in the jurisdiction". Scoped
access (own group, own partner unit, own inspected unit) is granted per object by the
services when the reason arises, through core.permissions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_HEAD = "office_head", _("Office head")
    OFFICE_STAFF = "office_staff", _("Office staff")
    CLUE_CUSTODIAN = "clue_custodian", _("Clue custodian")
    LEADING_GROUP_VIEWER = "leading_group_viewer", _("Leading group member")
    GROUP_LEADER = "group_leader", _("Group leader")
    GROUP_MEMBER = "group_member", _("Group member")
    PARTNER_USER = "partner_user", _("Partner department user")
    LIAISON_OFFICER = "liaison_officer", _("Liaison officer")
    COMMISSION_RECEIVER = "commission_receiver", _("Discipline commission receiver")
    ORGDEPT_RECEIVER = "orgdept_receiver", _("Organisation department receiver")
    HOME_UNIT_CONTACT = "home_unit_contact", _("Home unit contact")
    POOL_MANAGER = "pool_manager", _("Talent pool manager")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Roles that see the whole jurisdiction's rounds and may use the staff pages.
OFFICE_ROLES = frozenset({Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN, Role.POOL_MANAGER})

_READ_ROUNDS = [
    "inspection.view_inspectionround",
    "inspection.view_inspectiongroup",
    "inspection.view_inspectedunit",
    "inspection.view_groupmembership",
]
_WRITE_ROUNDS = [
    "inspection.add_inspectionround",
    "inspection.change_inspectionround",
    "inspection.add_inspectiongroup",
    "inspection.change_inspectiongroup",
    "inspection.add_inspectedunit",
    "inspection.change_inspectedunit",
    "inspection.add_groupmembership",
    "inspection.change_groupmembership",
]
_DIRECTORY = ["core.view_organisation", "core.view_person"]
_LETTERS_READ = ["clues.view_inforequestletter", "clues.view_partnerunit"]
_LETTERS_WRITE = ["clues.add_inforequestletter", "clues.change_inforequestletter"]
# A reply's content (workbooks, staged rows, error workbooks) is clue content: reviewing it, and
# recording a paper reply on a partner's behalf, is the custodian's and the office head's (issue 11).
_REPLIES = ["clues.review_inforequestletter", "clues.answer_inforequestletter"]
_OPINION = ["clues.view_onlineopinionitem", "clues.add_onlineopinionitem", "clues.change_onlineopinionitem"]
_CLUES = [
    "clues.view_clue", "clues.add_clue", "clues.change_clue",
    "clues.view_cluetransfer", "clues.view_caserecord",
]  # fmt: skip
_MEETINGS_WRITE = [
    "clues.view_standingcommitteemeeting",
    "clues.add_standingcommitteemeeting",
    "clues.change_standingcommitteemeeting",
]
_POOLS = [
    "talentpool.view_talentpoolentry", "talentpool.add_talentpoolentry", "talentpool.change_talentpoolentry",
    "talentpool.view_draw", "talentpool.add_draw",
    "talentpool.view_secondmentrequest", "talentpool.add_secondmentrequest", "talentpool.change_secondmentrequest",
    "talentpool.view_secondmentevaluation",
    "talentpool.view_caseworkassignment", "talentpool.add_caseworkassignment", "talentpool.change_caseworkassignment",
    "talentpool.view_collaborationzone", "talentpool.add_collaborationzone", "talentpool.change_collaborationzone",
]  # fmt: skip
_RECUSALS = [
    "talentpool.view_recusaldeclaration",
    "talentpool.add_recusaldeclaration",
    "talentpool.change_recusaldeclaration",
]
_LIAISON_MODELS = (
    "liaisonoffice", "liaisonassignment", "contactlogentry", "handoverrecord", "feedback", "feedbackproblem",
    "rectificationitem", "rectificationupdate", "rectificationreport", "followupcheck",
)  # fmt: skip
_LIAISON = [f"liaison.{action}_{model}" for model in _LIAISON_MODELS for action in ("view", "add", "change")]
_LEDGER_READ = ["liaison.view_feedback", "liaison.view_feedbackproblem", "liaison.view_rectificationitem"]
# Re-queue or cancel stuck reminders and deliveries (issue 12 item 5): the office head and the
# system administrator; the page shows a record's type and document number, never its content.
_STUCK_WORK = ["core.resolve_reminder", "core.resolve_delivery"]
_ADMIN = [
    "core.view_user", "core.add_user", "core.change_user",
    "core.view_organisation", "core.add_organisation", "core.change_organisation",
    "core.view_person", "core.add_person", "core.change_person",
    "core.view_calendarday", "core.add_calendarday", "core.change_calendarday", "core.delete_calendarday",
    "core.view_reminder", "core.view_auditlog", "core.view_heartbeat", *_STUCK_WORK,
    "auth.view_group",
    # Unlocking a login is deleting its failed attempts (README).
    "axes.view_accessattempt", "axes.delete_accessattempt",
    "clues.view_partnerunit", "clues.add_partnerunit", "clues.change_partnerunit",
    *_READ_ROUNDS, *_WRITE_ROUNDS,
]  # fmt: skip

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICE_HEAD: [
        *_READ_ROUNDS,
        *_WRITE_ROUNDS,
        *_DIRECTORY,
        "core.view_reminder",
        *_STUCK_WORK,
        *_LETTERS_READ,
        *_LETTERS_WRITE,
        *_REPLIES,
        "clues.approve_inforequestletter",
        *_OPINION,
        *_CLUES,
        # Bulk export of clues is the office head's alone (docs/domain.md §5.2 rule 9).
        "clues.export_clue",
        "clues.approve_cluetransfer",
        "clues.view_standingcommitteemeeting",
        *_POOLS,
        *_RECUSALS,
        "inspection.advance_inspectionround",
        *_LIAISON,
    ],
    # Office staff run the letter workflow and see a reply's status and counts, never clue
    # content: no clue, reply workbook or staged row (counts only, docs/domain.md §5.2 rule 6).
    Role.OFFICE_STAFF: [
        *_READ_ROUNDS,
        *_WRITE_ROUNDS,
        *_DIRECTORY,
        "core.view_reminder",
        *_LETTERS_READ,
        *_LETTERS_WRITE,
        *_OPINION,
        *_POOLS,
        *_RECUSALS,
        *_LIAISON,
    ],
    Role.CLUE_CUSTODIAN: [
        *_READ_ROUNDS,
        *_DIRECTORY,
        *_LETTERS_READ,
        *_REPLIES,
        *_OPINION,
        *_CLUES,
        # The reporter's identity: the custodian and the leader of the clue's group only (issue 4).
        "clues.reveal_clue",
        *_LEDGER_READ,
    ],
    Role.LEADING_GROUP_VIEWER: [*_READ_ROUNDS],
    Role.POOL_MANAGER: [*_READ_ROUNDS, *_DIRECTORY, *_POOLS],
    Role.SYSTEM_ADMIN: _ADMIN,
    # Scoped roles hold no model-wide permission: every row they see is granted to them.
    Role.GROUP_LEADER: [],
    Role.GROUP_MEMBER: [],
    Role.PARTNER_USER: [],
    Role.LIAISON_OFFICER: [],
    # Receivers see transferred clues through grants; the commission keeps its meeting records.
    Role.COMMISSION_RECEIVER: _MEETINGS_WRITE,
    Role.ORGDEPT_RECEIVER: [],
    Role.HOME_UNIT_CONTACT: [],
}

# Roles that may hold clues through grants (group, receivers); office staff see counts only.
CLUE_HOLDING_ROLES = frozenset({Role.GROUP_LEADER, Role.GROUP_MEMBER, Role.COMMISSION_RECEIVER, Role.ORGDEPT_RECEIVER})

# Roles whose home page shows the staff tools (health, reminders, statistics).
STAFF_PAGE_ROLES = frozenset({Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.SYSTEM_ADMIN})

# Roles that open clue, reporter, disposition or case content. In the admin only a superuser
# grants them: the system administrator administers accounts, not cases (docs/domain.md §5.2 rule 10).
# Office staff see counts of clues only, so theirs is not one of them.
DATA_ROLES = frozenset(
    {
        Role.OFFICE_HEAD,
        Role.CLUE_CUSTODIAN,
        Role.GROUP_LEADER,
        Role.GROUP_MEMBER,
        Role.COMMISSION_RECEIVER,
        Role.ORGDEPT_RECEIVER,
    }
)
