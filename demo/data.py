"""The fixed facts of the demo: units, partners, accounts, round 1 (docs/domain.md §2.4, §4.3)."""

from datetime import date
from typing import Any

OFFICE = ("中共示范区委员会巡察工作领导小组办公室", "区委巡察办", ["巡察办", "区巡察办"], "party_dept")
PARTY_COMMITTEE: tuple[str, str, list[str], str] = ("中共示范区委员会", "区委", [], "party_dept")
CASE_MANAGEMENT_OFFICE = ("示范区纪委监委案件监督管理室", "区纪委监委案管室", ["案管室"], "commission_internal_office")

# (full name, short name, aliases, unit type, partner category, request items), in the order of docs/domain.md §2.4.
PARTNERS = [
    ("中共示范区纪律检查委员会 示范区监察委员会", "区纪委监委", ["纪委监委", "区纪委", "区监委", "纪委"], "discipline_commission", "discipline",
     ["被巡察单位领导班子及其成员的信访举报和问题线索及办理情况", "期间受到党纪政务处分的干部情况", "谈话函询情况", "违反中央八项规定精神问题情况", "派驻纪检监察组的意见"]),
    ("示范区审计局", "区审计局", ["审计局"], "gov_dept", "audit",
     ["近年来对被巡察单位开展经济责任审计和财政审计情况", "审计发现的问题、金额及整改情况", "审计移送事项"]),
    ("中共示范区委员会组织部", "区委组织部", ["组织部"], "party_dept", "organization",
     ["领导班子配备及分工情况", "考核考察结果", "选人用人方面存在的问题", "领导干部个人有关事项报告抽查核实情况", "民主生活会情况", "基层党建工作存在的问题"]),
    ("示范区信访局", "区信访局", ["信访局"], "gov_dept", "petition",
     ["涉及被巡察单位及其领导干部的信访事项", "重复信访、越级信访情况", "办理情况"]),
    ("示范区公安分局", "公安分局", ["区公安分局", "公安局"], "police", "police",
     ["涉及被巡察单位领导班子成员、干部或单位的刑事、治安案件情况"]),
    ("示范区人民检察院", "区人民检察院", ["区检察院", "检察院"], "procuratorate", "procuratorate",
     ["涉及被巡察单位及其干部的案件和检察建议情况"]),
    ("示范区人民法院", "区人民法院", ["区法院", "法院"], "court", "court",
     ["被巡察单位作为当事人的诉讼案件（特别是行政诉讼败诉案件）", "执行案件情况", "干部被列入失信被执行人名单情况"]),
    ("示范区人民政府法制办公室", "区法制办", ["法制办"], "gov_dept", "legal_affairs",
     ["行政执法监督检查发现的问题", "规范性文件备案审查情况", "被撤销或变更的行政复议案件"]),
    ("示范区人力资源和社会保障局", "区人力资源和社会保障局", ["区人社局", "人社局"], "gov_dept", "hr_social_security",
     ["招录聘用方面的违规问题", "工资津补贴发放问题", "社会保险基金管理问题", "编外聘用人员情况"]),
    ("中共示范区委员会机构编制委员会办公室", "区编办", ["编办"], "party_dept", "establishment",
     ["核定编制与实有人员、职数情况", "超编超职数情况", "混编混岗情况", "擅自设立内设机构情况"]),
    ("示范区财政局", "区财政局", ["财政局"], "gov_dept", "finance",
     ["预算执行情况", "\u201c三公\u201d经费使用情况", "专项资金管理使用情况", "财政监督检查发现的问题"]),
    ("中共示范区委员会政法委员会", "区委政法委", ["政法委"], "party_dept", "political_legal",
     ["社会治理综合考评中发现的问题", "涉法涉诉信访情况"]),
]  # fmt: skip

# Round 1's inspected units and the group that covers each.
INSPECTED_UNITS = [
    ("示范区住房和城乡建设局", "区住建局", ["住建局", "区住房和城乡建设局"], "gov_dept", 1),
    ("示范区民政局", "区民政局", ["民政局"], "gov_dept", 1),
    ("示范区教育局", "区教育局", ["教育局"], "gov_dept", 2),
    ("示范区东城街道办事处", "东城街道", ["东城街道办", "东城办事处"], "township", 2),
]

ROUND_1: dict[str, Any] = {
    "committee_term": 13,
    "year": 2017,
    "round_no": 1,
    "title": "十三届区委第一轮巡察",
    "status": "onsite",
    "kickoff_date": date(2017, 8, 1),
    "letters_due_date": date(2017, 8, 10),
    "planned_entry_date": date(2017, 8, 21),
    "planned_exit_date": date(2017, 10, 10),
    "actual_entry_date": date(2017, 8, 21),
    "approved_by_text": "区委书记专题会",
}

# Each group: 1 leader, 1 deputy, 5 members (one is the group liaison); 3 full-time + 4 seconded,
# so the round has 6 full-time and 8 seconded cadres: 57.1% (docs/domain.md §4.3). The full-time cadres
# serve in every round; round 1's seconded cadres join through confirmed secondment requests
# (talent.py), which make plain members, so each group's liaison is a full-time member.
# (name, role, seconded from (short name) or None for full-time, group liaison)
GROUP_MEMBERS = {
    1: [
        ("刘强", "leader", None, False),
        ("陈刚", "deputy_leader", None, False),
        ("吴芳", "member", None, True),
        ("孙丽", "member", "区审计局", False),
        ("周杰", "member", "区纪委监委", False),
        ("郑伟", "member", "区财政局", False),
        ("王磊", "member", "区委组织部", False),
    ],
    2: [
        ("黄海", "leader", None, False),
        ("林静", "deputy_leader", None, False),
        ("何平", "member", None, True),
        ("马骏", "member", "区纪委监委", False),
        ("罗敏", "member", "区人力资源和社会保障局", False),
        ("高远", "member", "区审计局", False),
        ("朱婷", "member", "区财政局", False),
    ],
}

DEMO_PASSWORD = "Xuncha-demo-2017"  # noqa: S105 - demo data only, printed by seed_demo

# (username, role, last name, first name, organisation short name, person name linked or None, is_staff)
ACCOUNTS = [
    ("office_head", "office_head", "王", "建国", "区委巡察办", None, False),
    ("office_staff", "office_staff", "李", "明", "区委巡察办", None, False),
    ("clue_custodian", "clue_custodian", "张", "华", "区委巡察办", None, False),
    ("leading_group", "leading_group_viewer", "赵", "立新", "区委", None, False),
    ("group_leader", "group_leader", "刘", "强", "区委巡察办", "刘强", False),
    ("group_member", "group_member", "孙", "丽", "区审计局", "孙丽", False),
    ("partner_user", "partner_user", "钱", "进", "区审计局", None, False),
    # The officer of round 6's 区农业农村局, whose ledger is open (round 6 is rectifying), and the officer
    # of round 5's 区应急管理局, whose ledger was closed before round 5 was archived (demo/liaison.py).
    ("liaison_officer", "liaison_officer", "唐", "颖", "区农业农村局", "唐颖", False),
    ("liaison_officer_5", "liaison_officer", "宋", "洁", "区应急管理局", "宋洁", False),
    ("commission_receiver", "commission_receiver", "冯", "军", "区纪委监委案管室", None, False),
    ("orgdept_receiver", "orgdept_receiver", "许", "兰", "区委组织部", None, False),
    ("home_unit_contact", "home_unit_contact", "韩", "梅", "区财政局", None, False),
    ("pool_manager", "pool_manager", "曹", "阳", "区委巡察办", None, False),
    # The other home units that answer round 1's secondment requests (docs/domain.md §3.5).
    ("audit_contact", "home_unit_contact", "蒋", "琳", "区审计局", None, False),
    ("commission_contact", "home_unit_contact", "沈", "涛", "区纪委监委", None, False),
    ("orgdept_contact", "home_unit_contact", "秦", "岚", "区委组织部", None, False),
    ("hrss_contact", "home_unit_contact", "尤", "彬", "区人力资源和社会保障局", None, False),
    # Every other partner answers its letters in the platform too, and every other home unit of the
    # pool has an HR contact, so nothing is sent to nobody (issue 13 item 5). The demo still has
    # the office answer the other partners' round 1 letters on paper (demo/letters.py).
    ("partner_commission", "partner_user", "邹", "宁", "区纪委监委", None, False),
    ("partner_orgdept", "partner_user", "喻", "晨", "区委组织部", None, False),
    ("partner_petition", "partner_user", "柏", "松", "区信访局", None, False),
    ("partner_police", "partner_user", "水", "清", "公安分局", None, False),
    ("partner_procuratorate", "partner_user", "窦", "静", "区人民检察院", None, False),
    ("partner_court", "partner_user", "章", "雨", "区人民法院", None, False),
    ("partner_legal", "partner_user", "云", "帆", "区法制办", None, False),
    ("partner_hrss", "partner_user", "苏", "洁", "区人力资源和社会保障局", None, False),
    ("partner_establishment", "partner_user", "潘", "越", "区编办", None, False),
    ("partner_finance", "partner_user", "葛", "欣", "区财政局", None, False),
    ("partner_political_legal", "partner_user", "奚", "鹏", "区委政法委", None, False),
    ("case_office_contact", "home_unit_contact", "范", "蓉", "区纪委监委案管室", None, False),
    ("discipline1_contact", "home_unit_contact", "彭", "飞", "区纪委监委第一纪检监察室", None, False),
    ("discipline2_contact", "home_unit_contact", "郎", "萍", "区纪委监委第二纪检监察室", None, False),
    ("supervision1_contact", "home_unit_contact", "鲁", "杰", "区纪委监委第一监督检查室", None, False),
    ("investigation1_contact", "home_unit_contact", "韦", "岩", "区纪委监委第一审查调查室", None, False),
    ("stationed1_contact", "home_unit_contact", "昌", "茜", "派驻第一纪检监察组", None, False),
    ("stationed2_contact", "home_unit_contact", "马", "川", "派驻第二纪检监察组", None, False),
    ("stationed3_contact", "home_unit_contact", "苗", "禾", "派驻第三纪检监察组", None, False),
    ("establishment_contact", "home_unit_contact", "凤", "仪", "区编办", None, False),
    ("police_contact", "home_unit_contact", "花", "锋", "公安分局", None, False),
    ("procuratorate_contact", "home_unit_contact", "方", "圆", "区人民检察院", None, False),
    ("court_contact", "home_unit_contact", "俞", "诚", "区人民法院", None, False),
    ("petition_contact", "home_unit_contact", "任", "和", "区信访局", None, False),
    ("political_legal_contact", "home_unit_contact", "袁", "安", "区委政法委", None, False),
    ("sysadmin", "system_admin", "邓", "超", "区委巡察办", None, True),
]

# ---------------------------------------------------------------- history (docs/domain.md §4.3 "History")

# The commission's offices that verify clues and handle cases.
COMMISSION_OFFICES = [
    ("示范区纪委监委第一纪检监察室", "区纪委监委第一纪检监察室", ["第一纪检监察室", "纪检监察一室"], "commission_internal_office"),
    ("示范区纪委监委第二纪检监察室", "区纪委监委第二纪检监察室", ["第二纪检监察室", "纪检监察二室"], "commission_internal_office"),
]  # fmt: skip

# Each round sits in a stage its records allow (issue 13 item 9; `manage.py check_records`): round 1
# is on site (no feedback, no ledger yet); rounds 2–5 are archived, round 5 with its units' feedback
# delivered and its ledger closed; round 6 is rectifying: feedback delivered to every unit, ledger open.
# Rounds 2–6 of the 13th term (2017-2 … 2019-2): the same 6 full-time cadres in the same places
# and 8 seconded cadres from the pool (LATER_SEATS; 8 of 14 in every round), four new units each; (full name, short name, aliases, unit type, group).
LATER_ROUNDS = [
    {
        "round": {
            "committee_term": 13, "year": 2017, "round_no": 2, "title": "十三届区委第二轮巡察", "status": "archived",
            "kickoff_date": date(2017, 10, 16), "planned_entry_date": date(2017, 10, 30),
            "planned_exit_date": date(2017, 12, 22), "actual_entry_date": date(2017, 10, 30),
            "actual_exit_date": date(2017, 12, 22), "approved_by_text": "区委书记专题会",
        },
        "units": [
            ("示范区卫生和计划生育局", "区卫计局", ["卫计局", "区卫生计生局"], "gov_dept", 1),
            ("示范区农业局", "区农业局", ["农业局"], "gov_dept", 1),
            ("示范区市场监督管理局", "区市场监管局", ["市场监管局", "区市监局"], "gov_dept", 2),
            ("示范区西城街道办事处", "西城街道", ["西城街道办", "西城办事处"], "township", 2),
        ],
    },
    {
        "round": {
            "committee_term": 13, "year": 2018, "round_no": 3, "title": "十三届区委第三轮巡察", "status": "archived",
            "kickoff_date": date(2018, 3, 19), "planned_entry_date": date(2018, 4, 2),
            "planned_exit_date": date(2018, 5, 31), "actual_entry_date": date(2018, 4, 2),
            "actual_exit_date": date(2018, 5, 31), "approved_by_text": "区委书记专题会",
        },
        "units": [
            ("示范区交通运输局", "区交通运输局", ["交通运输局", "区交通局"], "gov_dept", 1),
            ("示范区水务局", "区水务局", ["水务局"], "gov_dept", 1),
            ("示范区南湖镇人民政府", "南湖镇", ["南湖镇政府"], "township", 2),
            ("示范区城市建设投资集团有限公司", "区城投集团", ["城投集团", "区城投公司"], "soe", 2),
        ],
    },
    {
        "round": {
            "committee_term": 13, "year": 2018, "round_no": 4, "title": "十三届区委第四轮巡察", "status": "archived",
            "kickoff_date": date(2018, 8, 27), "planned_entry_date": date(2018, 9, 10),
            "planned_exit_date": date(2018, 11, 9), "actual_entry_date": date(2018, 9, 10),
            "actual_exit_date": date(2018, 11, 9), "approved_by_text": "区委书记专题会",
        },
        "units": [
            ("示范区国土资源局", "区国土资源局", ["国土资源局", "区国土局"], "gov_dept", 1),
            ("示范区商务局", "区商务局", ["商务局"], "gov_dept", 1),
            ("示范区城市管理局", "区城管局", ["城管局", "区城市管理局"], "gov_dept", 2),
            ("示范区北关街道办事处", "北关街道", ["北关街道办", "北关办事处"], "township", 2),
        ],
    },
    {
        "round": {
            "committee_term": 13, "year": 2019, "round_no": 5, "title": "十三届区委第五轮巡察", "status": "archived",
            "kickoff_date": date(2019, 3, 11), "planned_entry_date": date(2019, 3, 25),
            "planned_exit_date": date(2019, 5, 24), "actual_entry_date": date(2019, 3, 25),
            "actual_exit_date": date(2019, 5, 24), "approved_by_text": "区委书记专题会",
        },
        "units": [
            ("示范区应急管理局", "区应急管理局", ["应急管理局", "区应急局"], "gov_dept", 1),
            ("示范区退役军人事务局", "区退役军人事务局", ["退役军人事务局"], "gov_dept", 1),
            ("示范区青山镇人民政府", "青山镇", ["青山镇政府"], "township", 2),
            ("示范区人民医院", "区人民医院", ["区医院"], "public_institution", 2),
        ],
    },
    {
        "round": {
            "committee_term": 13, "year": 2019, "round_no": 6, "title": "十三届区委第六轮巡察", "status": "rectifying",
            "kickoff_date": date(2019, 8, 26), "planned_entry_date": date(2019, 9, 9),
            "planned_exit_date": date(2019, 11, 8), "actual_entry_date": date(2019, 9, 9),
            "actual_exit_date": date(2019, 11, 8), "approved_by_text": "区委书记专题会",
        },
        "units": [
            ("示范区农业农村局", "区农业农村局", ["农业农村局"], "gov_dept", 1),
            ("示范区医疗保障局", "区医保局", ["医保局", "区医疗保障局"], "gov_dept", 1),
            ("示范区河口镇人民政府", "河口镇", ["河口镇政府"], "township", 2),
            ("示范区自来水有限公司", "区自来水公司", ["自来水公司"], "soe", 2),
        ],
    },
]  # fmt: skip

# The day each round's transfer letters went out (a few weeks after the groups left).
TRANSFER_DATES = {
    1: date(2017, 11, 3),
    2: date(2018, 1, 12),
    3: date(2018, 6, 22),
    4: date(2018, 11, 30),
    5: date(2019, 6, 14),
    6: date(2019, 11, 29),
}

# What became of each round's transferred clues (docs/domain.md §4.3): receiver → path → clues.
#   case               preliminary verification, then a case filed (立案)
#   talk               talk or letter inquiry (谈话函询), then concluded
#   verified           preliminary verification (初步核实), then concluded
#   closed             closed with no action (予以了结)
#   open_verification  still under preliminary verification
#   open_talk          still under talk or letter inquiry
#   deferred           deferred (暂存待查): not concluded
# Totals: 173 transferred (158 commission, 15 organisation department), 152 concluded,
# 37 filed; without a case 48 talk, 45 verified, 22 closed; open 12 verification, 5 talk, 4 deferred.
TRANSFER_PLAN = {
    1: {"commission": {"case": 5, "talk": 6, "verified": 6, "closed": 2}, "org": {"talk": 1, "closed": 1}},
    2: {"commission": {"case": 7, "talk": 7, "verified": 8, "closed": 4}, "org": {"talk": 2}},
    3: {"commission": {"case": 8, "talk": 7, "verified": 9, "closed": 3}, "org": {"talk": 2, "closed": 1}},
    4: {"commission": {"case": 7, "talk": 8, "verified": 10, "closed": 4}, "org": {"talk": 2, "closed": 1}},
    5: {
        "commission": {"case": 6, "talk": 6, "verified": 8, "closed": 4, "open_verification": 2, "deferred": 2},
        "org": {"talk": 2},
    },
    6: {
        "commission": {
            "case": 4, "talk": 4, "verified": 4, "closed": 2, "open_verification": 10, "open_talk": 3, "deferred": 2,
        },
        "org": {"talk": 1, "open_talk": 2},
    },
}  # fmt: skip
# Rounds in which one case absorbs two clues about the same person (the clues count, not the cases).
TWO_CLUE_CASES = (2, 3, 4, 5)
# Rounds whose cases have been concluded by the report date.
CASES_CONCLUDED = (1, 2, 3, 4, 5)
# Each round also hands one clue back to its unit (交办); none of them counts as transferred.
# The last round's unit has not reported back yet.
UNIT_DONE = (1, 2, 3, 4, 5)
# The standing-committee meetings that took up each round's clues: one deciding the preliminary
# verifications, and for the earlier rounds one filing the cases. The office head was invited to
# all of them and attended all but one.
MEETINGS = {1: ("verification", "cases"), 2: ("verification", "cases"), 3: ("verification", "cases"),
            4: ("verification", "cases"), 5: ("verification",), 6: ("verification",)}  # fmt: skip
OFFICE_HEAD_ABSENT = (4, "verification")

# ---------------------------------------------------------------- talent pools (docs/domain.md §4.3 "Pools", "Secondment")

# The commission's other bodies the pooled discipline cadres come from: two offices (also the
# collaboration zone's) and three stationed teams (派驻纪检监察组), all under the commission.
DISCIPLINE_BODIES = [
    ("示范区纪委监委第一监督检查室", "区纪委监委第一监督检查室", ["第一监督检查室"], "commission_internal_office"),
    ("示范区纪委监委第一审查调查室", "区纪委监委第一审查调查室", ["第一审查调查室"], "commission_internal_office"),
    ("示范区纪委监委派驻第一纪检监察组", "派驻第一纪检监察组", ["驻区第一纪检监察组"], "stationed_discipline_team"),
    ("示范区纪委监委派驻第二纪检监察组", "派驻第二纪检监察组", ["驻区第二纪检监察组"], "stationed_discipline_team"),
    ("示范区纪委监委派驻第三纪检监察组", "派驻第三纪检监察组", ["驻区第三纪检监察组"], "stationed_discipline_team"),
]  # fmt: skip

# The inspection pool beyond round 1's eight seconded cadres, by home unit (short name) and
# specialty: 23 discipline cadres (with 周杰 and 马骏, the 25 of docs/domain.md §4.1 #14) and 44 others,
# so 75 active cadres; the first three of 区财政局, 区人社局 and 区审计局 are the people round 1's
# refused requests name (DECLINED below).
POOL_UNITS = [
    ("区纪委监委", "discipline", 3),
    ("区纪委监委案管室", "discipline", 2),
    ("区纪委监委第一纪检监察室", "discipline", 3),
    ("区纪委监委第二纪检监察室", "discipline", 3),
    ("区纪委监委第一监督检查室", "discipline", 2),
    ("区纪委监委第一审查调查室", "discipline", 2),
    ("派驻第一纪检监察组", "discipline", 3),
    ("派驻第二纪检监察组", "discipline", 3),
    ("派驻第三纪检监察组", "discipline", 2),
    ("区财政局", "finance_audit", 7),
    ("区人力资源和社会保障局", "organization_personnel", 5),
    ("区审计局", "finance_audit", 7),
    ("区委组织部", "organization_personnel", 6),
    ("区编办", "organization_personnel", 2),
    ("公安分局", "legal_police_court", 5),
    ("区人民检察院", "legal_police_court", 4),
    ("区人民法院", "legal_police_court", 4),
    ("区信访局", "petition", 3),
    ("区委政法委", "legal_police_court", 1),
]
# Round 1's seconded cadres' specialties (they are pool members too).
ROUND_1_SPECIALTIES = {
    "孙丽": "finance_audit", "周杰": "discipline", "郑伟": "finance_audit", "王磊": "organization_personnel",
    "马骏": "discipline", "罗敏": "organization_personnel", "高远": "finance_audit", "朱婷": "finance_audit",
}  # fmt: skip
# Entries that do not count: (home unit, specialty, move, reason).
POOL_LEAVERS = [
    ("区审计局", "finance_audit", "suspend", "借调参加省审计厅专项审计，暂停抽调"),
    ("公安分局", "legal_police_court", "suspend", "病休，暂停抽调"),
    ("区委组织部", "organization_personnel", "suspend", "参加中青年干部培训班，暂停抽调"),
    ("区人民法院", "legal_police_court", "remove", "已调离原单位，经定期复审出库"),
    ("区财政局", "finance_audit", "remove", "年度考核不称职，经定期复审出库"),
    ("区信访局", "petition", "remove", "已退休"),
    ("区人民检察院", "legal_police_court", "remove", "本人申请退出"),
]
POOL_NOMINATED = date(2017, 6, 5)
POOL_VETTED = date(2017, 6, 19)
POOL_APPROVED = date(2017, 6, 30)

# Rounds 2–6 fill their 8 seconded seats from the pool: (discipline cadres, others) per round,
# 23 + 17 seats; with round 1's two, all 25 discipline cadres sit in a group.
LATER_SEATS = {2: (5, 3), 3: (5, 3), 4: (5, 3), 5: (4, 4), 6: (4, 4)}

# Round 1's requests. The eight seconded members of GROUP_MEMBERS are confirmed; three others are
# refused: two are replaced by 朱婷 and 罗敏, one (a reserve) is escalated and then released.
# (home unit of the refused cadre, group, decline code, reason, replaced by or escalated to)
DECLINED = [
    ("区财政局", 2, "workload", "本单位工作任务重，年中预算调整任务集中，无法抽调。", "朱婷"),
    ("区人力资源和社会保障局", 2, "staff_shortage", "人员紧张，科室仅余两名在岗人员。", "罗敏"),
    ("区审计局", 1, "staff_shortage", "人员紧张，正承担上级审计机关统一组织的审计项目。", "organization_dept"),
]
# Who answers for each home unit (a home_unit_contact account of ACCOUNTS).
HOME_UNIT_CONTACTS = {
    "区财政局": "home_unit_contact", "区审计局": "audit_contact", "区纪委监委": "commission_contact",
    "区委组织部": "orgdept_contact", "区人力资源和社会保障局": "hrss_contact",
}  # fmt: skip
# The one declared tie of round 1, which the office allows: (person, unit, relationship).
RECUSAL_TIE = (
    "郑伟",
    "区民政局",
    {"type": "former_superior_subordinate", "related_name": "刘建新", "related_position": "区民政局副局长（原区财政局社保科科长）"},
)  # fmt: skip

# ---------------------------------------------------------------- cross-staffing (docs/domain.md §4.3 "Cross-staffing")

# Two batches between rounds (after round 2 left and before round 3 went in; after round 4 and
# before round 5): (label, start, end, handling office, people). The full-time cadres, round 1's
# seconded cadres from finance, audit and personnel, and two police officers of the pool
# (("公安分局", n): the n-th pool cadre of that unit).
# names as written, or (unit short name, index) for a cadre of data.DISCIPLINE_BODIES
CASE_WORK_BATCHES: list[tuple[str, date, date, str, list[str | tuple[str, int]]]] = [
    ("第一批", date(2018, 1, 22), date(2018, 3, 16), "区纪委监委第一审查调查室",
     ["刘强", "陈刚", "吴芳", "孙丽", "高远", "郑伟", "朱婷"]),
    ("第二批", date(2018, 12, 10), date(2019, 3, 8), "区纪委监委第二纪检监察室",
     ["黄海", "林静", "何平", "罗敏", "王磊", ("公安分局", 0), ("公安分局", 1)]),
]  # fmt: skip
ZONE: dict[str, Any] = {
    "name": "第一办案协作区",
    "supervision_office": "区纪委监委第一监督检查室",
    "investigation_office": "区纪委监委第一审查调查室",
    "townships": ["南湖镇", "青山镇", "河口镇"],
    "linked_group_number": 1,
    "lead_leader": "区纪委常委、区监委委员",
    "active_from": date(2020, 1, 2),
}


# Each round-1 unit's liaison office and officers (docs/domain.md §4.3): (unit short name, location, phone,
# officers as (name, position, start, end or None)). 区民政局 replaced its first officer.
LIAISON_OFFICES: list[tuple[str, str, str, list[tuple[str, str, date, date | None]]]] = [
    ("区住建局", "区住建局办公楼305室", "0000-6601305", [("周敏", "办公室主任", date(2017, 8, 15), None)]),
    ("区民政局", "区民政局办公楼212室", "0000-6602212", [
        ("陈红", "办公室副主任", date(2017, 8, 15), date(2017, 9, 18)),
        ("杜晓", "办公室主任", date(2017, 9, 18), None),
    ]),
    ("区教育局", "区教育局办公楼408室", "0000-6603408", [("高峰", "办公室主任", date(2017, 8, 16), None)]),
    ("东城街道", "东城街道办事处党政办", "0000-6604101", [("江涛", "党政办主任", date(2017, 8, 16), None)]),
]  # fmt: skip

# The liaison offices of the later rounds whose feedback and ledger the demo records (demo/liaison.py):
# round 5 (archived, ledger closed) and round 6 (rectifying, ledger open), in the same shape.
LATER_LIAISON_OFFICES: dict[int, list[tuple[str, str, str, list[tuple[str, str, date, date | None]]]]] = {
    5: [
        ("区应急管理局", "区应急管理局办公楼210室", "0000-6605210", [("宋洁", "办公室主任", date(2019, 3, 18), None)]),
        ("区退役军人事务局", "区退役军人事务局综合科", "0000-6606101", [("钱蕾", "综合科科长", date(2019, 3, 18), None)]),
        ("青山镇", "青山镇党政办", "0000-6607101", [("孔亮", "党政办主任", date(2019, 3, 19), None)]),
        ("区人民医院", "区人民医院院办", "0000-6608101", [("白雪", "院办主任", date(2019, 3, 19), None)]),
    ],
    6: [
        ("区农业农村局", "区农业农村局办公楼306室", "0000-6609306", [("唐颖", "办公室主任", date(2019, 9, 2), None)]),
        ("区医保局", "区医保局综合科", "0000-6610101", [("侯斌", "综合科科长", date(2019, 9, 2), None)]),
        ("河口镇", "河口镇党政办", "0000-6611101", [("薛梅", "党政办主任", date(2019, 9, 3), None)]),
        ("区自来水公司", "区自来水公司办公室", "0000-6612101", [("邵军", "办公室主任", date(2019, 9, 3), None)]),
    ],
}  # fmt: skip
