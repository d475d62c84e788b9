"""Round pages: the list, one round's plan (groups, units, members, warnings), and its moves."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import FileRejected
from core.http import XLSX, attachment
from core.permissions import get_for_user_or_404
from core.transitions import allowed_transitions
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection import services
from inspection.exports import rounds_workbook
from inspection.forms import GroupForm, MemberForm, MoveForm, RoundEditForm, RoundForm, UnitForm, WorkPlanForm
from inspection.models import InspectionRound
from inspection.selectors import round_detail_for, round_warnings, rounds_for, seconded_share
from inspection.services.workflow import WORKFLOW, check_move, move_round, preview_move


def _round_to_change(request: AuthenticatedHttpRequest, pk: int) -> InspectionRound:
    return get_for_user_or_404(InspectionRound.objects.all(), request.user, "change", pk=pk)


@login_required
def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(rounds_for(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "inspection/round_list.html",
        {"page_obj": page, "can_add": request.user.has_perm("inspection.add_inspectionround")},
    )


@login_required
def round_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    data, _count = rounds_workbook(rounds_for(request.user), watermark=watermark_for(request))
    return attachment(data, _("rounds.xlsx"), XLSX)


@login_required
def round_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("inspection.add_inspectionround"):
        raise Http404
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_round(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Round created."))
            return redirect("inspection:round-detail", pk=created.pk)
    return render(request, "inspection/round_form.html", {"form": form})


@login_required
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection_round = get_for_user_or_404(InspectionRound.objects.select_related("work_plan"), request.user, pk=pk)
    return _round_page(request, inspection_round)


def _round_page(request: AuthenticatedHttpRequest, inspection_round: InspectionRound, **forms: Any) -> HttpResponse:
    """The round's page; `forms` replaces a blank planning form with the bound one that was refused."""
    user = request.user
    can_change = user.has_perm("inspection.change_inspectionround")
    can_move = user.has_perm("inspection.advance_inspectionround")
    context = {
        "round": inspection_round,
        "groups": round_detail_for(user, inspection_round),
        "can_change": can_change,
        # The unit's liaison pages: the office and the groups (docs/domain.md §5.3 "Handover records").
        "unit_links": user.has_role("office_head", "office_staff", "group_leader", "group_member"),
    }
    if can_change or can_move:
        seconded, total = seconded_share(inspection_round)
        context |= {
            "warnings": round_warnings(inspection_round),
            "seconded": seconded,
            "total": total,
            # The round's declared transitions this user may take, each with what still blocks it.
            "moves": [
                (move.target, InspectionRound.Status(move.target).label, check_move(inspection_round, move.target))
                for move in allowed_transitions(inspection_round, user)
            ],
            "group_form": GroupForm(),
            "unit_form": UnitForm(inspection_round=inspection_round),
            "member_form": MemberForm(inspection_round=inspection_round),
            "plan_form": WorkPlanForm(),
            **forms,
        }
    return render(request, "inspection/round_detail.html", context)


@login_required
def round_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection_round = _round_to_change(request, pk)
    form = RoundEditForm(request.POST or None, instance=inspection_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(inspection_round=inspection_round, by=request.user, **{
                name: form.cleaned_data[name] for name in RoundEditForm.Meta.fields
            })  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Round saved."))
            return redirect("inspection:round-detail", pk=pk)
    return render(request, "inspection/round_form.html", {"form": form, "round": inspection_round})


def _refused(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def round_add(request: AuthenticatedHttpRequest, pk: int, what: str) -> HttpResponse:
    """Add a group, a unit or a member from the round page, or attach its work plan.

    A refusal (the form's or the service's) draws the round page again with the form as it was
    filled in and the reason on it, as the other forms of the app do: a redirect would lose the input.
    """
    inspection_round = _round_to_change(request, pk)
    forms = {"group": GroupForm, "unit": UnitForm, "member": MemberForm, "plan": WorkPlanForm}
    if what not in forms:
        raise Http404
    form_class = forms[what]
    kwargs = {} if form_class in (GroupForm, WorkPlanForm) else {"inspection_round": inspection_round}
    form = form_class(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if what == "group":
                services.create_group(by=request.user, inspection_round=inspection_round, number=data["number"])
            elif what == "unit":
                services.assign_unit(by=request.user, group=data["group"], org_unit=data["org_unit"])
            elif what == "member":
                services.add_member(by=request.user, **data)
            else:
                services.attach_work_plan(
                    inspection_round=inspection_round, by=request.user, upload=data["file"], name=data["file"].name
                )
        except (ValidationError, FileRejected) as exc:
            # Above the form: a service's field names need not be the form's.
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("inspection:round-detail", pk=pk)
    return _round_page(request, inspection_round, **{f"{what}_form": form})


def _round_to_move(request: AuthenticatedHttpRequest, pk: int) -> InspectionRound:
    """Only who may move rounds sees the move pages (docs/domain.md §3.1); for anyone else they do not exist."""
    if not request.user.has_perm("inspection.advance_inspectionround"):
        raise Http404
    return get_for_user_or_404(InspectionRound.objects.all(), request.user, pk=pk)


@login_required
def round_move_confirm(request: AuthenticatedHttpRequest, pk: int, to: str) -> HttpResponse:
    """The page that confirms a stage move: what will change, what still blocks it; its form posts to round_move
    with the stage it showed, so a round that moved meanwhile refuses the stale page."""
    inspection_round = _round_to_move(request, pk)
    if to not in WORKFLOW.by_name:
        raise Http404
    check = check_move(inspection_round, to)
    context = {
        "round": inspection_round,
        "to": to,
        "to_label": InspectionRound.Status(to).label,
        "check": check,
        "changes": preview_move(inspection_round, to) if check.ok else [],
    }
    return render(request, "inspection/round_move_confirm.html", context)


@login_required
@require_POST
def round_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection_round = _round_to_move(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    try:
        moved = move_round(inspection_round=inspection_round, to=data["to"], by=request.user, seen=data["seen"])
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The round is now %(status)s.") % {"status": moved.get_status_display()})
    return redirect("inspection:round-detail", pk=pk)
