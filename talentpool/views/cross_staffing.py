"""Cross-staffing: inspection cadres in case work, and the case-handling collaboration zones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import XLSX, attachment
from core.permissions import get_for_user_or_404
from core.transitions import allowed_transitions
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from talentpool.exports import case_work_workbook
from talentpool.forms.cross_staffing import CaseWorkForm, ZoneForm
from talentpool.models import CaseWorkAssignment, CollaborationZone
from talentpool.services.cross_staffing import activate_zone, assign_case_work, create_zone


@login_required
def case_work_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("talentpool.view_caseworkassignment"):
        raise Http404
    assignments = (
        CaseWorkAssignment.objects.for_user(request.user)
        .select_related("person__home_unit", "handling_office", "case")
        .order_by("-start_date", "person__name", "pk")
    )
    data, _count = case_work_workbook(assignments, watermark=watermark_for(request))
    return attachment(data, _("case-work.xlsx"), XLSX)


@login_required
def cross_staffing(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("talentpool.view_caseworkassignment"):
        raise Http404
    can_add = user.has_perm("talentpool.add_caseworkassignment")
    work_form = CaseWorkForm(request.POST if request.POST.get("form") == "work" else None)
    zone_form = ZoneForm(request.POST if request.POST.get("form") == "zone" else None)
    if request.method == "POST" and can_add:
        form, action = (work_form, assign_case_work) if work_form.is_bound else (zone_form, create_zone)
        if form.is_valid():
            try:
                action(by=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("talentpool:cross-staffing")
    assignments = CaseWorkAssignment.objects.for_user(user).select_related(
        "person__home_unit", "handling_office", "case"
    )
    page = Paginator(assignments.order_by("-start_date", "person__name", "pk"), 30).get_page(request.GET.get("page"))
    zones = list(
        CollaborationZone.objects.for_user(user)
        .select_related("supervision_office", "investigation_office")
        .prefetch_related("townships")
    )
    for zone in zones:
        # The page offers exactly the moves the user may take (core.transitions).
        zone.moves = [t.name for t in allowed_transitions(zone, user)]  # type: ignore[attr-defined]
    return render(
        request,
        "talentpool/cross_staffing.html",
        {
            "page_obj": page,
            "zones": zones,
            "work_form": work_form if can_add else None,
            "zone_form": zone_form if can_add else None,
        },
    )


@require_POST
@login_required
def zone_activate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Planned → active (talentpool.services.cross_staffing.activate_zone); a zone the user may not change is a 404."""
    zone = get_for_user_or_404(CollaborationZone.objects.all(), request.user, "change", pk=pk)
    try:
        zone = activate_zone(by=request.user, zone=zone)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(zone)s is now %(status)s.") % {"zone": zone.name, "status": zone.get_status_display()}
        )
    return redirect("talentpool:cross-staffing")
