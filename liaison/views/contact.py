"""A unit's contact log: read and add, for its office, group and officer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.http import XLSX, attachment
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from liaison.exports import contact_log_workbook
from liaison.forms.offices import ContactEntryForm
from liaison.services import contact
from liaison.views.offices import unit_or_404


@login_required
def contact_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    form = ContactEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact.record_entry(by=request.user, inspected_unit=unit, **form.cleaned_data)
        messages.success(request, _("Contact recorded."))
        return redirect("liaison:contact-log", pk=unit.pk)
    entries = unit.contact_log.select_related("author")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "liaison/offices/contact_log.html", {"unit": unit, "page_obj": page, "form": form})


@login_required
def contact_log_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    shown = _("Inspected unit: %(unit)s") % {"unit": unit.org_unit.name}
    data, _count = contact_log_workbook(unit.contact_log.all(), watermark=watermark_for(request), filters=shown)
    return attachment(data, _("contact-log.xlsx"), XLSX)
