"""Sent SecondmentRequests not yet delivered get their core.Delivery row, so the new sweep delivers them."""

from django.db import migrations


def create_pending_deliveries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Delivery = apps.get_model("core", "Delivery")
    Model = apps.get_model("talentpool", "SecondmentRequest")
    undelivered = Model.objects.filter(sent_at__isnull=False, delivered_at__isnull=True).values_list("pk", flat=True)
    ids = list(undelivered)
    if not ids:
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="talentpool", model="secondmentrequest")
    Delivery.objects.bulk_create(
        [Delivery(target_type=content_type, target_id=pk) for pk in ids], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_delivery"),
        ("talentpool", "0002_pools_secondments_case_work"),
    ]

    operations = [migrations.RunPython(create_pending_deliveries, migrations.RunPython.noop)]
