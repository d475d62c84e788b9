"""Standard wording of the office's letters. Document content, so written in Chinese directly."""

# The office's signature is shared with the other apps' documents (core.wording); re-exported
# here because the letter wording is read as one set (texts.office_name()).
from core.wording import office_name as office_name


def letter_title(round_title: str) -> str:
    return f"关于提供{round_title}被巡察单位有关情况的函"


def letter_body(*, round_title: str, unit_names: list[str]) -> str:
    units = "、".join(unit_names)
    return (
        f"根据工作安排，{round_title}将对{units}等{len(unit_names)}个单位党组织开展巡察。"
        f"为全面了解被巡察单位情况，请贵单位按照下列事项提供有关情况，"
        f"并于规定时限内反馈我办。"
    )


FORMAT_REQUIREMENTS = (
    "1. 问题线索请使用随函附送的《问题线索情况统计表》（Excel）填报，一事一行；\n"
    "2. 回函须经单位主要负责人审签并加盖公章，扫描后与统计表一并在平台上传；\n"
    "3. 经查无相关情况的，请出具“无相关情况”的书面说明并加盖公章；\n"
    "4. 材料涉密的，请按保密规定密封后由专人报送。"
)
