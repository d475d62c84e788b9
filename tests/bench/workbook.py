"""A large, realistic partner workbook for benchmarks: the template's layout (title, metadata,
header in row 3) with units merged over runs of rows, as partners send them."""

import random
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from clues.importing import spec

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉志强国庆海燕红梅春生德胜"
_POSTS = ("局长", "副局长", "科长", "副科长", "主任", "副主任", "站长", "所长", "科员", "办事员")
_ACTS = (
    "在工程项目招投标中违规干预，收受施工方所送购物卡及现金",
    "利用职务便利，在低保审批中优亲厚友，违规为亲属办理低保",
    "违规使用公务用车办理私事，多次驾驶公车接送子女上下学",
    "在审计发现的专项资金使用中虚列支出，套取资金用于单位福利发放",
    "违规接受管理服务对象宴请，并在节假日期间收受礼品礼金",
    "对群众反映强烈的问题推诿扯皮，长期不作为，造成不良影响",
    "在干部选拔任用中搞暗箱操作，违规提拔使用不符合条件的人员",
)
_CATEGORIES = ("廉洁纪律", "违反中央八项规定精神", "群众纪律", "工作纪律", "组织纪律", "廉洁纪律、八项规定精神")
_SOURCES = ("信访举报", "审计发现", "案件查办发现", "执法检查发现", "媒体反映")
_DATES = ("2017年8月3日", "2017.8.3", "2017-08-03", "2017/8/3", "2017年7月", "20170803", "二〇一七年六月十二日")
_STATUSES = ("未办理", "正在办理", "已办结", "已了结", "已转办")


def write_partner_workbook(path: str, rows: int, units: Sequence[str]) -> None:
    """Write `rows` data rows to `path` (.xlsx): each unit's rows are a block with the unit cell
    merged over it; dates, amounts and enumerations vary as partners write them."""
    rng = random.Random(2017)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("问题线索")
    width = len(spec.COLUMNS)
    sheet.merged_cells.add(f"A1:{get_column_letter(width)}1")
    sheet.append(["关于提供被巡察单位问题线索情况统计表"])
    sheet.append(
        ["填报单位(盖章):", None, "区审计局", None, None, "填报人:", "王五", None, "联系电话:", "0371-12345678"]
    )
    sheet.append([column.label for column in spec.COLUMNS])
    row_number = 4
    block_start = row_number
    unit = units[0]
    for index in range(rows):
        if index % 25 == 0:
            if row_number - block_start > 1:
                sheet.merged_cells.add(f"B{block_start}:B{row_number - 1}")
            unit, block_start = units[(index // 25) % len(units)], row_number
        name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
        sheet.append(
            [
                index + 1,
                unit if row_number == block_start else None,
                name,
                f"{unit}{rng.choice(_POSTS)}",
                rng.choice(("乡科级正职", "乡科级副职", "科员及以下", "县处级")),
                rng.choice(("是", "否", "√", "党员")),
                rng.choice(_CATEGORIES),
                f"反映{name}{rng.choice(_ACTS)}，涉及金额约{rng.randint(1, 90)}万元，群众反映较大。",
                rng.choice(_SOURCES),
                f"示信字〔2017〕{rng.randint(1, 999)}号",
                rng.choice((*_DATES, datetime(2017, rng.randint(1, 8), rng.randint(1, 28)))),  # noqa: DTZ001 - a naive cell value
                rng.choice((1.5, "约2万", "15000元", None, "2万余元")),
                rng.choice(_STATUSES),
                None,
                rng.choice(("匿名", "实名")),
                "见附件",
                None,
            ]
        )
        row_number += 1
    if row_number - block_start > 1:
        sheet.merged_cells.add(f"B{block_start}:B{row_number - 1}")
    workbook.save(path)
