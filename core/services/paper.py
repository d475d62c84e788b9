"""Paper delivery (线下送达): a record sent to a unit that has no reachable user.

core.delivery still delivers the record in the system (grants, reminder plan), but no account of
the unit can read it: the page that sends it says so beforehand, the office hands it over on
paper and records here when, how and to whom, and the record's reminders go to the office staff
(core.services.directory.office_staff_users), who chase the unit by phone. Recipients are the
apps' own ("partner users", "home-unit contacts"); an app passes them in.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import Delivery, PaperDelivery, User


def delivery_row(record: models.Model) -> Delivery | None:
    return Delivery.objects.filter(target_type=ContentType.objects.get_for_model(record), target_id=record.pk).first()


def paper_delivery_of(record: models.Model) -> PaperDelivery | None:
    return (
        PaperDelivery.objects.select_related("recorded_by")
        .filter(delivery__target_type=ContentType.objects.get_for_model(record), delivery__target_id=record.pk)
        .first()
    )


@transaction.atomic
def record_paper_delivery(
    *, record: models.Model, by: User, delivered_on: date, method: str, receiver_name: str
) -> PaperDelivery:
    """The office records (or corrects) the paper hand-over of a record it has sent."""
    row = delivery_row(record)
    if row is None:
        raise ValidationError(_("Only a record that has been sent can be delivered on paper."))
    if method not in PaperDelivery.Method.values or not receiver_name.strip():
        raise ValidationError(_("Say how the paper copy was delivered and who received it."))
    paper = PaperDelivery.objects.select_for_update(no_key=True).filter(delivery=row).first()
    before = audit.snapshot(paper) if paper else None
    paper = paper or PaperDelivery(delivery=row, recorded_by=by)
    paper.delivered_on, paper.method, paper.receiver_name = delivered_on, method, receiver_name.strip()
    paper.recorded_by = by
    paper.full_clean()
    paper.save()
    audit.log_change(user=by, obj=paper, before=before)
    return paper
