"""The problem categories a clue is filed under (问题类别, docs/domain.md §6.2 column 7).

`Clue.categories` holds a list of these codes. Each code maps to the names it goes by, the
official name first (the label that pages, exports and the workbook template show); the
partner-workbook import (clues.importing.spec) matches a written category against all of them.
"""

CATEGORIES: dict[str, tuple[str, ...]] = {
    "political": ("政治纪律", "政治"),
    "organizational": ("组织纪律", "组织"),
    "integrity": ("廉洁纪律", "廉洁", "廉政"),
    "mass": ("群众纪律", "群众"),
    "work": ("工作纪律", "工作"),
    "life": ("生活纪律", "生活"),
    "eight_point_rules": ("八项规定精神", "八项规定", "中央八项规定精神", "中央八项规定", "四风"),
    "personnel_selection": ("选人用人", "干部选拔任用", "选人用人问题"),
    "suspected_crime": ("涉嫌违法犯罪", "违法犯罪", "涉嫌犯罪", "涉嫌违法"),
    "other": ("其他", "其它"),
}
CATEGORY_LABELS = {code: names[0] for code, names in CATEGORIES.items()}
