from django.db import migrations

# Chinese names for the holidays the chinese-calendar package knows.
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


def seed(apps, schema_editor):
    # The package is maintained each year from the State Council's notice; admins add
    # later years by hand in the admin until the package catches up.
    from chinese_calendar import constants

    CalendarDay = apps.get_model("core", "CalendarDay")
    rows = [
        CalendarDay(date=day, kind="holiday", name=NAMES.get(name, name)) for day, name in constants.holidays.items()
    ] + [CalendarDay(date=day, kind="workday", name=NAMES.get(name, name)) for day, name in constants.workdays.items()]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_create_role_groups")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
