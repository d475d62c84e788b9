"""Round 1's letters, answers and online opinion (docs/domain.md §4.3), through the product's services.

Each partner's clues are written into a workbook laid out like the letter's template and go
through the same upload, review and commit path as a real answer.
"""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from clues.importing import spec
from clues.models import Clue, InfoRequestLetter, LetterReply
from clues.services import letters, opinion, replies, screening
from core import delivery
from core.models import User
from inspection.models import InspectionRound

SHANGHAI = ZoneInfo("Asia/Shanghai")
SENT = datetime(2017, 8, 3, 10, 0, tzinfo=SHANGHAI)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# Partner short name → clues it reports (46 in all, docs/domain.md §4.3).
SPREAD = {
    "区纪委监委": 9, "区审计局": 6, "区委组织部": 4, "区信访局": 8, "公安分局": 3, "区人民检察院": 3,
    "区人民法院": 3, "区法制办": 2, "区人力资源和社会保障局": 3, "区编办": 2, "区财政局": 2, "区委政法委": 1,
}  # fmt: skip
# Clues per unit: 14 / 12 / 11 / 9.
UNIT_SPREAD = [("示范区住房和城乡建设局", 14), ("示范区民政局", 12), ("示范区教育局", 11), ("示范区东城街道办事处", 9)]
# Answer day (August 2017) per partner; 区法制办 and 区编办 answer after the 8-10 deadline.
ANSWER_DAY = {"区法制办": 14, "区编办": 15, "区人力资源和社会保障局": 10, "区信访局": 9}
RETURNED = "区人力资源和社会保障局"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建华", "志强", "秀英", "国庆", "海燕", "文博", "立军", "丽娟", "振宇", "红梅"]
POSITIONS = ["局长", "副局长", "科长", "副科长", "主任", "副主任", "科员"]
ALLEGATIONS = [
    ("integrity", "petition", "反映其在{unit}工程项目招投标中违规指定施工单位，收受施工方好处费。"),
    ("eight_point_rules", "audit", "反映其多次使用公款在辖区酒店宴请，违规报销餐饮费用。"),
    ("personnel_selection", "organization_review", "反映其在单位干部选拔中搞“近亲繁殖”，违规提拔身边工作人员。"),
    ("work", "petition", "反映其对群众反映的{unit}办事难问题推诿扯皮，长期不予解决。"),
    ("mass", "law_enforcement", "反映其在惠民资金发放中优亲厚友，侵害群众利益。"),
    ("integrity", "audit", "审计发现{unit}专项资金被挪作他用，相关负责人涉嫌违规审批。"),
]
CATEGORY_LABEL = {"integrity": "廉洁纪律", "eight_point_rules": "八项规定精神", "personnel_selection": "选人用人",
                  "work": "工作纪律", "mass": "群众纪律"}  # fmt: skip
CHANNEL_LABEL = {"petition": "信访举报", "audit": "审计发现", "organization_review": "组织考察发现",
                 "law_enforcement": "执法检查发现"}  # fmt: skip


def _at(day: int, hour: int = 15) -> datetime:
    return datetime.combine(date(2017, 8, day), time(hour), tzinfo=SHANGHAI)


def _clue_rows() -> dict[str, list[dict]]:
    """Deal the 46 clues out to the partners, units in the 14/12/11/9 spread."""
    units = [name for name, count in UNIT_SPREAD for _ in range(count)]
    rows: dict[str, list[dict]] = {}
    n = 0
    for partner, count in SPREAD.items():
        rows[partner] = []
        for _ in range(count):
            category, channel, text = ALLEGATIONS[n % len(ALLEGATIONS)]
            unit = units[n]
            rows[partner].append(
                {
                    "inspected_unit": unit,
                    "reported_name": SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)],
                    "reported_position": POSITIONS[n % len(POSITIONS)],
                    "category": CATEGORY_LABEL[category],
                    "allegation": text.format(unit=unit) + f"（线索{n + 1:02d}）",
                    "source_channel": CHANNEL_LABEL[channel],
                    "source_ref": f"示信〔2017〕{100 + n}号",
                    "received_date": f"2017-0{5 + n % 3}-{10 + n % 15}",
                }
            )
            n += 1
    # The same two petitions, reported by the petition bureau as well (flagged, then closed as duplicates).
    rows["区信访局"] += [dict(row) for row in rows["区纪委监委"][:2]]
    return rows


def _workbook(letter: InfoRequestLetter, rows: list[dict]) -> io.BytesIO:
    """The partner's filled-in statistics table, laid out as the letter's template (docs/domain.md §6.1)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("问题线索")
    keys = [column.key for column in spec.COLUMNS]
    sheet.append(["关于提供被巡察单位问题线索情况统计表"])
    sheet.append([f"填报单位(盖章):{letter.partner.org_unit.name}", None, None, f"文号:{letter.doc_number}"])
    sheet.append([column.label for column in spec.COLUMNS])
    for offset, row in enumerate(rows, start=1):
        sheet.append([offset if key == "seq" else row.get(key) for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _answer(letter: InfoRequestLetter, rows: list[dict], by: User, day: int) -> LetterReply:
    letters.record_view(letter=letter, user=by, now=_at(day, 9))
    replies.upload_workbook(letter=letter, by=by, upload=_workbook(letter, rows), name="问题线索情况统计表.xlsx")
    replies.attach_file(letter=letter, by=by, upload=io.BytesIO(PDF), name="回函（盖章）.pdf", cover_letter=True)
    return replies.submit_reply(letter=letter, by=by, now=_at(day))


def seed_round_1_letters(inspection_round: InspectionRound) -> None:
    if inspection_round.letters.exists():
        return
    staff = User.objects.get(username="office_staff")
    head = User.objects.get(username="office_head")
    custodian = User.objects.get(username="clue_custodian")
    in_app = User.objects.get(username="partner_user")  # 区审计局 answers in the platform; the rest on paper
    drafted = letters.create_round_letters(inspection_round=inspection_round, by=staff)
    for letter in drafted:
        letters.submit_for_approval(letter=letter, by=staff)
    letters.approve_and_send_all(inspection_round=inspection_round, by=head, now=SENT)
    for letter in drafted:
        delivery.deliver_record(letter)  # the queued delivery then finds it done
    rows = _clue_rows()
    # The discipline commission answers first, so the petition bureau's copies are flagged against it.
    ordered = sorted(drafted, key=lambda x: (x.partner.org_unit.short_name != "区纪委监委", x.partner.sort_order))
    for letter in ordered:
        letter.refresh_from_db()
        short = letter.partner.org_unit.short_name
        by = in_app if letter.partner.org_unit_id == in_app.organisation_id else staff
        if short == RETURNED:
            first = _answer(letter, rows[short][:2], by, day=8)
            replies.return_reply(reply=first, by=staff, note="漏报1条线索，请补充后重新报送。", now=_at(9, 10))
            letter.refresh_from_db()
        reply = _answer(letter, rows[short], by, day=ANSWER_DAY.get(short, 7 + letter.partner.sort_order % 4))
        replies.accept_reply(reply=reply, by=custodian, now=_at(ANSWER_DAY.get(short, 10) + 1, 10))
    for clue in Clue.objects.filter(inspection_round=inspection_round, possible_duplicate_of__isnull=False):
        if clue.possible_duplicate_of is not None:  # always: the filter keeps those that have one
            screening.mark_duplicate(clue=clue, of=clue.possible_duplicate_of, by=custodian)
    _seed_online_opinion(inspection_round, staff)


OPINION_SITES = ["人民网", "新华网", "本地新闻网", "城市论坛", "政务留言板", "网络问政平台", "今日头条"]


def _seed_online_opinion(inspection_round: InspectionRound, by: User) -> None:
    """12 relevant items and 2 irrelevant ones; the first relevant one becomes a clue."""
    units = list(inspection_round.inspected_units.select_related("org_unit").order_by("group__number", "pk"))
    items = []
    for n in range(14):
        relevant = n < 12
        unit = units[n % len(units)]
        items.append(
            opinion.record_opinion_item(
                inspection_round=inspection_round,
                by=by,
                inspected_unit=unit if relevant else None,
                site_name=OPINION_SITES[n % len(OPINION_SITES)],
                url=f"https://news.example.cn/2017/07/{n + 1:02d}.html",
                title=f"网民反映{unit.org_unit.short_name}有关问题（{n + 1}）"
                if relevant
                else f"示范区夏季旅游宣传报道（{n + 1}）",
                published_at=date(2017, 7, 1 + n),
                summary="网民在留言中反映该单位办事效率低、个别干部作风粗暴等问题。"
                if relevant
                else "与被巡察单位无关的宣传报道。",
                relevance="relevant" if relevant else "irrelevant",
            )
        )
    opinion.convert_to_clue(item=items[0], by=by)
