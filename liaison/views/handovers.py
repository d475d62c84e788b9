"""A unit's handovers: the group asks, the officer delivers, the group receives and returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import DOCX, XLSX, attachment, service_errors_to_messages
from core.permissions import get_for_user_or_404
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from liaison.documents import handover_list_docx
from liaison.exports import handovers_workbook
from liaison.forms.offices import HandoverRequestForm
from liaison.models import HandoverRecord
from liaison.services import handovers
from liaison.views.offices import unit_or_404

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_ACTIONS: dict[str, tuple[Callable[..., HandoverRecord], StrOrPromise]] = {
    "deliver": (handovers.deliver, gettext_lazy("Delivery recorded.")),
    "receive": (handovers.confirm_receipt, gettext_lazy("Receipt confirmed.")),
    "return": (handovers.record_return, gettext_lazy("Return recorded.")),
    "cancel": (handovers.cancel, gettext_lazy("Request cancelled.")),
}


@login_required
@service_errors_to_messages
def handover_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    may_request = handovers.may_request(request.user, unit)
    form = HandoverRequestForm(request.POST or None) if may_request else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            handovers.request_materials(by=request.user, inspected_unit=unit, **form.cleaned_data)
            messages.success(request, _("Materials requested."))
            return redirect("liaison:handover-list", pk=unit.pk)
    rows = unit.handovers.select_related("requested_by", "delivered_by", "received_by")
    return render(
        request,
        "liaison/offices/handover_list.html",
        {
            "unit": unit,
            "handovers": rows,
            "form": form,
            "may_deliver": handovers.may_deliver(request.user, unit),
            "may_receive": handovers.may_receive(request.user, unit),
        },
    )


@login_required
@require_POST
@service_errors_to_messages
def handover_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404
    handover = get_for_user_or_404(HandoverRecord.objects.all(), request.user, pk=pk)
    unit = unit_or_404(request, handover.inspected_unit_id)
    step, done = _ACTIONS[action]
    step(by=request.user, handover=handover)
    messages.success(request, done)
    return redirect("liaison:handover-list", pk=unit.pk)


@login_required
def handover_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    return attachment(
        handover_list_docx(unit, watermark=watermark_for(request)), f"交接清单-{unit.org_unit.name}.docx", DOCX
    )


@login_required
def handover_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    shown = _("Inspected unit: %(unit)s") % {"unit": unit.org_unit.name}
    data, _count = handovers_workbook(unit.handovers.all(), watermark=watermark_for(request), filters=shown)
    return attachment(data, _("handovers.xlsx"), XLSX)
