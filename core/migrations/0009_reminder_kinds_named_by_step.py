"""Reminder kinds named by ladder step instead of numbered (letter.overdue.3 → letter.escalation).

Rows planned before the ladders became data keep going out: their kind is renamed, and the
row's own level says whether a numbered overdue reminder was an escalation (red) or not. The
unique key (record, kind, due moment) cannot collide, as the steps of a ladder fall on
different moments. The reverse numbers the overdue rows of each record again by due moment.
"""

from django.db import migrations

LADDERS = ("letter", "transfer", "secondment", "handover")
# Old name (by ladder prefix) → new name; the numbered overdue kinds are handled by level.
RENAMED = {
    "letter.due_soon": "letter.before",
    "letter.due_today": "letter.due",
    "transfer.feedback_soon": "transfer.before",
    "transfer.feedback_due": "transfer.due",
    "secondment.due_soon": "secondment.before",
    "secondment.due_today": "secondment.due",
}


def forwards(apps, schema_editor):
    Reminder = apps.get_model("core", "Reminder")
    for old, new in RENAMED.items():
        Reminder.objects.filter(kind=old).update(kind=new)
    for ladder in LADDERS:
        numbered = Reminder.objects.filter(kind__startswith=f"{ladder}.overdue.")
        numbered.filter(level="red").update(kind=f"{ladder}.escalation")
        numbered.update(kind=f"{ladder}.overdue")


def backwards(apps, schema_editor):
    Reminder = apps.get_model("core", "Reminder")
    for old, new in RENAMED.items():
        Reminder.objects.filter(kind=new).update(kind=old)
    for ladder in LADDERS:
        rows = Reminder.objects.filter(kind__in=[f"{ladder}.overdue", f"{ladder}.escalation"])
        number: dict[tuple[int, str], int] = {}
        for row in rows.order_by("target_type_id", "target_id", "due_at"):
            key = (row.target_type_id, row.target_id)
            number[key] = number.get(key, 0) + 1
            row.kind = f"{ladder}.overdue.{number[key]}"
            row.save(update_fields=["kind"])


class Migration(migrations.Migration):
    dependencies = [("core", "0008_document_number")]

    operations = [migrations.RunPython(forwards, backwards)]
