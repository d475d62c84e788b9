from django.db import migrations

# Chinese names for the holidays the chinese-calendar package knows (as in 0003).
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def extend(apps, schema_editor):
    """Load every year the installed package knows (0003 may have run with an older one) and
    mark those years complete, so the working-day counts know where the table ends.

    chinese-calendar 1.11.0, the latest release, knows 2004 to 2026: the table then ends on
    2026-12-31, and 2027 is entered in the administration (or loaded with `manage.py
    load_holidays` once the package has it); until then counts past 2026 warn the office.
    """
    from chinese_calendar import constants

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    days = {day: ("holiday", NAMES.get(name, name)) for day, name in constants.holidays.items()}
    days.update({day: ("workday", NAMES.get(name, name)) for day, name in constants.workdays.items()})
    have = set(CalendarDay.objects.filter(date__in=list(days)).values_list("date", "kind"))
    for day, (kind, name) in sorted(days.items()):
        if (day, kind) not in have:
            CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    for year in sorted({day.year for day in days}):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "package"})


class Migration(migrations.Migration):
    dependencies = [("core", "0010_calendaryear_table_end")]

    operations = [migrations.RunPython(extend, migrations.RunPython.noop)]
