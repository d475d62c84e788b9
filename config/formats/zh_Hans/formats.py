# Chinese date formats used across the UI (2017年8月1日, 2017-08-01 09:30 in tables).
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
# Amounts grouped by thousands with commas, as financial figures are written (1,205,000.00);
# Django's zh_Hans sets no separator. Only where a template asks for grouping
# (floatformat:"2g"): USE_THOUSAND_SEPARATOR stays off, so counts, years and inputs are unchanged.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
