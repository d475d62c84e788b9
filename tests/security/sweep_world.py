"""The world of the confidentiality sweep: marked clues in every state that changes who may read them.

Every field of every clue carries a unique ASCII marker (mixed with Chinese so the importer
takes it): `MKRREP…` for the reporter's name and contact, `MKR<clue><field>` for content. The
ASCII part survives HTML escaping and JSON's \\u escapes of the Chinese around it, so finding it
in a response is proof the field reached the reader.

Everything is made through the product's services, as the office would: a partner answers its
letter with a workbook (upload → submit → accept), the custodian registers clues by hand and
hands them over, group A's leader proposes transfers, the office head sends them (one with the
reporter included, one without) and their delivery runs; group A's member declares a tie to
unit A2 and the office decides recusal.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from clues import jobs as clue_jobs
from clues.models import Clue, ClueImportBatch, ClueTransfer, InfoRequestLetter, Receiver
from clues.services import letters, registry, replies, screening, transfers
from clues.services.partners import register_partner
from core import delivery, jobs
from core.models import Organisation, User
from inspection import services as rounds
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound
from liaison.services import offices
from talentpool.services import recusals
from tests.clues.workbooks import data_row, standard_rows, write_xlsx
from tests.conftest import make_user
from tests.factories import OrganisationFactory, PersonFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
SENT_AT = datetime(2017, 8, 3, 10, 0, tzinfo=SHANGHAI)
TRANSFERRED_AT = datetime(2017, 10, 20, 10, 0, tzinfo=SHANGHAI)
# A minimal PDF: the stamped cover letter the reply needs.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

REPORTER_PREFIX = "MKRREP"
# Attachment names of the partner's reply: part of the reply's content (see READERS).
REPLY_FILE_MARKERS = ("MKRWBNAME", "MKRATTNAME")


@dataclass(frozen=True)
class MarkedClue:
    """One clue and where it sits: which unit, whether imported, which transfers hold it."""

    key: str
    unit: str  # "a1", "a2" (the recused member's tie) or "b"
    imported: bool
    receiver: str = ""  # "", "commission" or "orgdept"
    reporter_in_transfer: bool = False

    def marker(self, name: str) -> str:
        return f"MKR{self.key}{name}"

    def reporter_markers(self) -> tuple[str, str]:
        return f"{REPORTER_PREFIX}{self.key}NAME", f"{REPORTER_PREFIX}{self.key}TEL"


# I = imported from partner X's workbook, H = registered by hand by the custodian.
CLUES = [
    MarkedClue("I1", "a1", imported=True, receiver="commission", reporter_in_transfer=True),
    MarkedClue("I2", "a2", imported=True),
    MarkedClue("I3", "b", imported=True),
    MarkedClue("H1", "a1", imported=False, receiver="orgdept"),
    MarkedClue("H2", "a2", imported=False, receiver="commission", reporter_in_transfer=True),
    MarkedClue("H3", "b", imported=False),
    MarkedClue("H4", "a1", imported=False),
]
# The content fields each kind of clue carries a marker in.
IMPORTED_FIELDS = ("NAME", "POS", "MATTER", "SRCREF", "RESULT", "REMARK", "EVIDENCE")
HAND_FIELDS = ("NAME", "POS", "MATTER", "DETAIL", "SRCREF")


@dataclass
class SweepWorld:
    round: InspectionRound
    groups: dict[str, InspectionGroup]
    units: dict[str, InspectedUnit]
    letter: InfoRequestLetter
    batch: ClueImportBatch
    clues: dict[str, Clue]
    transfers: dict[str, ClueTransfer]
    users: dict[str, User] = field(default_factory=dict)


def content_markers(clue: MarkedClue) -> list[str]:
    return [clue.marker(name) for name in (IMPORTED_FIELDS if clue.imported else HAND_FIELDS)]


def _workbook(path: Path, units: dict[str, InspectedUnit]) -> bytes:
    rows = []
    for seq, clue in enumerate((c for c in CLUES if c.imported), start=1):
        name, contact = clue.reporter_markers()
        rows.append(
            data_row(
                seq=seq,
                inspected_unit=units[clue.unit].org_unit.name,
                reported_name=f"张{clue.marker('NAME')}",
                reported_position=f"局长{clue.marker('POS')}",
                allegation=f"反映其{clue.marker('MATTER')}在工程招投标中收受他人财物。",
                source_ref=f"信{clue.marker('SRCREF')}",
                handling_result=f"已核实{clue.marker('RESULT')}",
                remarks=f"备注{clue.marker('REMARK')}",
                evidence_note=f"材料{clue.marker('EVIDENCE')}",
                reporter_name=f"李{name} 电话{contact}",
                handling_status="已办结",
            )
        )
    write_xlsx(path, standard_rows(*rows))
    return path.read_bytes()


def build(tmp: Path) -> SweepWorld:
    office = OrganisationFactory(name="区委巡察办", short_name="区委巡察办", unit_type=Organisation.UnitType.PARTY_DEPT)
    audit_bureau = OrganisationFactory(name="区审计局", short_name="区审计局")
    petition_bureau = OrganisationFactory(name="区信访局", short_name="区信访局")
    finance_bureau = OrganisationFactory(name="区财政局", short_name="区财政局")
    committee = OrganisationFactory(name="区委", short_name="区委", unit_type=Organisation.UnitType.PARTY_DEPT)
    commission = OrganisationFactory(
        name="区纪委监委", short_name="区纪委监委", unit_type=Organisation.UnitType.DISCIPLINE_COMMISSION
    )
    case_office = OrganisationFactory(
        name="区纪委监委案管室", unit_type=Organisation.UnitType.COMMISSION_INTERNAL_OFFICE, parent=commission
    )
    org_dept = OrganisationFactory(
        name="区委组织部", short_name="区委组织部", unit_type=Organisation.UnitType.PARTY_DEPT
    )
    register_partner(by=None, org_unit=audit_bureau, category="audit", sort_order=1, request_items=["审计情况"])
    register_partner(by=None, org_unit=petition_bureau, category="petition", sort_order=2, request_items=["信访情况"])
    partner_org = register_partner(
        by=None, org_unit=org_dept, category="organization", sort_order=3, request_items=["干部情况"]
    )
    partner_org.active = False  # found as the transfer receiver by its category; sent no letter
    partner_org.save(update_fields=["active"])

    inspection_round = rounds.create_round(by=None, committee_term=13, year=2017, round_no=1, title="第一轮")
    groups = {
        "a": rounds.create_group(by=None, inspection_round=inspection_round, number=1),
        "b": rounds.create_group(by=None, inspection_round=inspection_round, number=2),
    }
    units = {
        "a1": rounds.assign_unit(by=None, group=groups["a"], org_unit=OrganisationFactory(name="区住建局")),
        "a2": rounds.assign_unit(by=None, group=groups["a"], org_unit=OrganisationFactory(name="区民政局")),
        "b": rounds.assign_unit(by=None, group=groups["b"], org_unit=OrganisationFactory(name="区教育局")),
    }
    people = {key: PersonFactory(name=name, home_unit=office) for key, name in (
        ("leader_a", "刘强"), ("member_a", "孙丽"), ("leader_b", "王刚"), ("member_b", "陈静"),
    )}  # fmt: skip
    liaison_person = PersonFactory(name="周敏", home_unit=units["a1"].org_unit)
    users = {
        "office_head": make_user("office_head", "office_head", organisation=office),
        "office_staff": make_user("office_staff", "office_staff", organisation=office),
        "clue_custodian": make_user("clue_custodian", "clue_custodian", organisation=office),
        "leading_group": make_user("leading_group", "leading_group_viewer", organisation=committee),
        "group_leader": make_user("group_leader", "group_leader", organisation=office, person=people["leader_a"]),
        "group_member": make_user("group_member", "group_member", organisation=office, person=people["member_a"]),
        "other_leader": make_user("other_leader", "group_leader", organisation=office, person=people["leader_b"]),
        "other_member": make_user("other_member", "group_member", organisation=office, person=people["member_b"]),
        "partner_user": make_user("partner_user", "partner_user", organisation=audit_bureau),
        "other_partner": make_user("other_partner", "partner_user", organisation=petition_bureau),
        "liaison_officer": make_user("liaison_officer", "liaison_officer", organisation=units["a1"].org_unit,
                                     person=liaison_person),
        "commission_receiver": make_user("commission_receiver", "commission_receiver", organisation=case_office),
        "orgdept_receiver": make_user("orgdept_receiver", "orgdept_receiver", organisation=org_dept),
        "home_unit_contact": make_user("home_unit_contact", "home_unit_contact", organisation=finance_bureau),
        "pool_manager": make_user("pool_manager", "pool_manager", organisation=office),
        "sysadmin": make_user("sysadmin", "system_admin", organisation=office, is_staff=True),
    }  # fmt: skip
    rounds.add_member(by=None, group=groups["a"], person=people["leader_a"], role="leader")
    rounds.add_member(by=None, group=groups["a"], person=people["member_a"])
    rounds.add_member(by=None, group=groups["b"], person=people["leader_b"], role="leader")
    rounds.add_member(by=None, group=groups["b"], person=people["member_b"])
    offices.set_up_office(
        by=users["office_staff"], inspected_unit=units["a1"], established_at=date(2017, 8, 14), location="三楼"
    )
    units["a1"].refresh_from_db()
    offices.appoint_officer(
        by=users["office_staff"], office=units["a1"].liaison_office, person=liaison_person, start_date=date(2017, 8, 15)
    )

    # Partner X (the audit bureau) answers its letter with the marked workbook; the custodian accepts it.
    (letter,) = [
        letter
        for letter in letters.create_round_letters(inspection_round=inspection_round, by=users["office_staff"])
        if letter.partner.org_unit_id == audit_bureau.pk
    ]
    letters.submit_for_approval(letter=letter, by=users["office_staff"])
    letters.approve_and_send(letter=letter, by=users["office_head"], now=SENT_AT)
    letter.refresh_from_db()
    partner = users["partner_user"]
    batch = replies.upload_workbook(
        letter=letter,
        by=partner,
        upload=io.BytesIO(_workbook(tmp / "workbook.xlsx", units)),
        name=f"问题线索{REPLY_FILE_MARKERS[0]}.xlsx",
    )
    replies.attach_file(
        letter=letter, by=partner, upload=io.BytesIO(PDF), name=f"回函{REPLY_FILE_MARKERS[1]}.pdf", cover_letter=True
    )
    reply = replies.submit_reply(letter=letter, by=partner)
    replies.accept_reply(reply=reply, by=users["clue_custodian"])
    batch.refresh_from_db()

    custodian = users["clue_custodian"]
    imported = {row.source_import_row.values["seq"]: row for row in Clue.objects.filter(source_partner__isnull=False)}
    clues: dict[str, Clue] = {}
    for seq, marked in enumerate((c for c in CLUES if c.imported), start=1):
        clues[marked.key] = imported[seq]
    for n, marked in enumerate(c for c in CLUES if not c.imported):
        name, contact = marked.reporter_markers()
        clues[marked.key] = registry.register_clue(
            by=custodian,
            inspected_unit=units[marked.unit],
            source_type=Clue.SourceType.PETITION,
            received_date=date(2017, 8, 20 + n),
            allegation_summary=f"反映其{marked.marker('MATTER')}违规发放津补贴{n}",
            allegation_detail=f"详细情况{marked.marker('DETAIL')}",
            categories=["integrity"],
            reported_persons=[{"name": f"钱{marked.marker('NAME')}", "position": f"科长{marked.marker('POS')}"}],
            source_ref=f"来信{marked.marker('SRCREF')}",
            reporter_name=f"赵{name}",
            reporter_contact=f"手机{contact}",
        )
    screening.hand_over(clues=list(clues.values()), by=custodian)

    sent: dict[str, ClueTransfer] = {}
    for receiver, receiver_type, include in (
        ("commission", Receiver.DISCIPLINE_COMMISSION, True),
        ("orgdept", Receiver.ORGANIZATION_DEPT, False),
    ):
        batch_clues = [clues[c.key] for c in CLUES if c.receiver == receiver]
        for clue in batch_clues:
            leader = users["group_leader"] if clue.assigned_group_id == groups["a"].pk else users["other_leader"]
            transfers.record_assessment(
                clue=clue, by=leader, conclusion="recommend_transfer", recommended_receiver=receiver_type
            )
        (transfer,) = transfers.approve_and_send(
            choices=[transfers.Choice(Clue.objects.get(pk=c.pk)) for c in batch_clues],
            by=users["office_head"],
            meeting=transfers.Meeting(name="区委书记专题会", held_on=date(2017, 10, 18), minutes="纪要〔2017〕12号"),
            include_reporter=include,
            now=TRANSFERRED_AT,
        )
        delivery.deliver_record(transfer)
        sent[receiver] = ClueTransfer.objects.get(pk=transfer.pk)

    # The office head's registry export, made by a background job: its page and its file (every
    # clue's markers) are the head's alone.
    export = jobs.start_job(clue_jobs.EXPORT_CLUES, by=users["office_head"], total=len(clues))
    jobs.run_job(export.pk)

    # Group A's member declares a tie to unit A2; the office decides recusal.
    declaration = recusals.declare_recusal(
        by=users["group_member"],
        person=people["member_a"],
        inspected_unit=units["a2"],
        has_conflict=True,
        relationships=[{"type": "relative", "related_name": "某某", "related_position": "副局长"}],
    )
    recusals.decide_recusal(declaration=declaration, by=users["office_head"], decision="recuse")
    return SweepWorld(
        round=inspection_round,
        groups=groups,
        units=units,
        letter=letter,
        batch=batch,
        clues={key: Clue.objects.get(pk=clue.pk) for key, clue in clues.items()},
        transfers=sent,
        users=users,
    )
