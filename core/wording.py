"""How the office's documents write dates and sign themselves (document content, so in Chinese
directly), and how messages write a date (in the reader's language)."""

from datetime import date

from django.conf import settings
from django.utils import formats

_CN_NUMERALS = "〇一二三四五六七八九"


def office_name() -> str:
    return f"中共{settings.INSPECTION_JURISDICTION_NAME}委员会巡察工作领导小组办公室"


def chinese_date(day: date) -> str:
    """2017年8月3日 written the way official documents date themselves: 二〇一七年八月三日."""

    def digits(n: int) -> str:
        return "".join(_CN_NUMERALS[int(d)] for d in str(n))

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return _CN_NUMERALS[ones]
        return ("" if tens == 1 else _CN_NUMERALS[tens]) + "十" + ("" if ones == 0 else _CN_NUMERALS[ones])

    return f"{digits(day.year)}年{small(day.month)}月{small(day.day)}日"


def day_text(day: date) -> str:
    """A date in a document's body text, without zero padding: 2017年8月3日."""
    return f"{day.year}年{day.month}月{day.day}日"


def message_date(day: date | None) -> str:
    """A date in a message or notice, as the pages show dates: 2017年8月3日 in Chinese; "" for none."""
    return formats.date_format(day, "DATE_FORMAT") if day else ""
