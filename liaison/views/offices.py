"""The office's view of the units' liaison offices, the unit page and the officer's portal."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.excel.export import write_table
from core.http import XLSX, attachment, form_errors_to_messages, service_errors_to_messages
from core.permissions import get_for_user_or_404
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectedUnit, InspectionRound
from liaison.forms.offices import AppointOfficerForm, OfficeForm
from liaison.models import Feedback, HandoverRecord, LiaisonAssignment
from liaison.services import contact, offices


def unit_or_404(request: AuthenticatedHttpRequest, pk: int) -> InspectedUnit:
    """The unit, for its office, its group's current members and its current officer only.

    Viewing a unit is wider (the clue custodian reads round plans), but its liaison records
    belong to those three sides (docs/domain.md §5.3); anyone else gets the same 404 as for a
    foreign unit.
    """
    unit = get_for_user_or_404(
        InspectedUnit.objects.select_related("org_unit", "group", "inspection_round"), request.user, pk=pk
    )
    if not offices.works_on(request.user, unit):
        raise Http404
    return unit


def _office_only(request: AuthenticatedHttpRequest) -> None:
    if not request.user.has_perm("liaison.change_liaisonoffice"):
        raise Http404


@login_required
def office_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's entry: open rounds, and the units whose contact has gone quiet."""
    _office_only(request)
    days = settings.LIAISON_QUIET_WORKING_DAYS
    return render(
        request,
        "liaison/offices/office_home.html",
        {
            "rounds": InspectionRound.objects.for_user(request.user).filter(status__in=contact.OPEN_ROUND_STATUSES),
            "quiet": contact.quiet_units(timezone.localdate(), days),
            "quiet_days": days,
        },
    )


def _round_units(request: AuthenticatedHttpRequest, round_pk: int):
    """A round's units with office, current officer and last contact, and which have gone quiet."""
    _office_only(request)
    inspection_round = get_for_user_or_404(InspectionRound.objects.all(), request.user, pk=round_pk)
    current = Prefetch(
        "liaison_office__assignments",
        queryset=LiaisonAssignment.objects.filter(end_date__isnull=True).select_related("person"),
        to_attr="current_officers",
    )
    units = (
        contact.with_last_contact(inspection_round.inspected_units.all())
        .select_related("org_unit", "group", "liaison_office")
        .prefetch_related(current)
        .order_by("group__number", "org_unit__name")
    )
    quiet = set(
        contact.quiet_units(timezone.localdate()).filter(inspection_round=inspection_round).values_list("pk", flat=True)
    )
    return inspection_round, units, quiet


@login_required
def round_units(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    """Each unit of a round: its office, current officer, last contact and whether it has gone quiet."""
    inspection_round, units, quiet = _round_units(request, round_pk)
    return render(
        request,
        "liaison/offices/round_units.html",
        {"round": inspection_round, "units": units, "quiet": quiet, "quiet_days": settings.LIAISON_QUIET_WORKING_DAYS},
    )


@login_required
def round_units_export(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    _round, units, quiet = _round_units(request, round_pk)
    headers = [
        _("Group"),
        _("Inspected unit"),
        _("Location"),
        _("Phone"),
        _("Liaison officer"),
        _("Last contact"),
        _("Quiet"),
    ]
    rows = []
    for unit in units:
        office = getattr(unit, "liaison_office", None)
        officers = getattr(office, "current_officers", []) if office else []
        rows.append([
            unit.group.label, unit.org_unit.display_name, office.location if office else "", office.phone if office else "",
            officers[0].person.name if officers else "", timezone.localtime(unit.last_contact_at).replace(tzinfo=None) if unit.last_contact_at else None,
            _("Yes") if unit.pk in quiet else "",
        ])  # fmt: skip
    data, _count = write_table(_("Liaison offices"), headers, rows, watermark=watermark_for(request))
    return attachment(data, _("liaison-offices.xlsx"), XLSX)


@login_required
def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    office = getattr(unit, "liaison_office", None)
    assignments = (
        LiaisonAssignment.objects.filter(liaison_office__inspected_unit=unit).select_related("person")
        if office
        else LiaisonAssignment.objects.none()
    )
    can_manage = request.user.has_perm("liaison.change_liaisonoffice")
    return render(
        request,
        "liaison/offices/unit_detail.html",
        {
            "unit": unit,
            "office": office,
            "assignments": assignments,
            "recent_contacts": unit.contact_log.select_related("author")[:5],
            "open_handovers": unit.handovers.filter(status=HandoverRecord.Status.REQUESTED).count(),
            "office_form": OfficeForm(initial=_office_initial(office)) if can_manage else None,
            "appoint_form": AppointOfficerForm(inspected_unit=unit) if can_manage and office else None,
        },
    )


def _office_initial(office) -> dict:
    if office is None:
        return {}
    return {"established_at": office.established_at, "location": office.location, "phone": office.phone}


@login_required
@require_POST
@service_errors_to_messages
def office_set_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    unit = unit_or_404(request, pk)
    form = OfficeForm(request.POST)
    if form.is_valid():
        offices.set_up_office(by=request.user, inspected_unit=unit, **form.cleaned_data)
        messages.success(request, _("Liaison office saved."))
    else:
        form_errors_to_messages(request, form)
    return redirect("liaison:unit-detail", pk=unit.pk)


@login_required
@require_POST
@service_errors_to_messages
def officer_appoint(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    unit = unit_or_404(request, pk)
    office = getattr(unit, "liaison_office", None)
    if office is None:
        raise Http404
    form = AppointOfficerForm(request.POST, inspected_unit=unit)
    if form.is_valid():
        offices.appoint_officer(by=request.user, office=office, **form.cleaned_data)
        messages.success(request, _("Liaison officer appointed."))
    else:
        form_errors_to_messages(request, form)
    return redirect("liaison:unit-detail", pk=unit.pk)


# The officer's duties as menu entries (core.navigation): each leads to that page of the unit they serve now.
MY_UNIT_PAGES = {
    "handovers": ("liaison:handover-list", "pk"),
    "feedback": ("liaison:feedback", "unit_pk"),
    "ledger": ("liaison:ledger", "unit_pk"),
}


@login_required
def my_unit(request: AuthenticatedHttpRequest, page: str = "") -> HttpResponse:
    """The liaison officer's portal: the page of the unit they serve now, or one of its duties.

    The feedback and the ledger open once the feedback is delivered to the unit; before that
    the menu entries land on the unit's page with a note saying so.
    """
    units = offices.officer_units(request.user)
    unit = units.first()
    if unit is None or (page and page not in MY_UNIT_PAGES):
        raise Http404
    if not page:
        return redirect("liaison:unit-detail", pk=unit.pk)
    if page in ("feedback", "ledger"):
        with_feedback = units.filter(pk__in=Feedback.objects.for_user(request.user).values("inspected_unit")).first()
        if with_feedback is None:
            messages.info(request, _("The group's feedback has not been delivered to your unit yet."))
            return redirect("liaison:unit-detail", pk=unit.pk)
        unit = with_feedback
    name, arg = MY_UNIT_PAGES[page]
    return redirect(name, **{arg: unit.pk})
