"""Sent letters and transfers not yet delivered get their core.Delivery row, so the new sweep delivers them."""

from django.db import migrations


def create_pending_deliveries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Delivery = apps.get_model("core", "Delivery")
    for model, sent_field in (("InfoRequestLetter", "sent_at"), ("ClueTransfer", "transferred_at")):
        ids = list(
            apps.get_model("clues", model)
            .objects.filter(**{f"{sent_field}__isnull": False, "delivered_at__isnull": True})
            .values_list("pk", flat=True)
        )
        if ids:
            content_type, _created = ContentType.objects.get_or_create(app_label="clues", model=model.lower())
            Delivery.objects.bulk_create(
                [Delivery(target_type=content_type, target_id=pk) for pk in ids], ignore_conflicts=True
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_delivery"),
        ("clues", "0006_seal_reporter_identity"),
    ]

    operations = [migrations.RunPython(create_pending_deliveries, migrations.RunPython.noop)]
