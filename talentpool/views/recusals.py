"""Recusal declarations: a member declares on each unit of their group; the office sees the round's board and decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.excel.export import write_table
from core.http import XLSX, attachment
from core.permissions import get_for_user_or_404
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectedUnit, InspectionRound
from inspection.permissions import current_memberships
from talentpool.forms.recusals import DecisionForm, DeclarationForm
from talentpool.models import RecusalDeclaration
from talentpool.selectors.recusals import recusal_board
from talentpool.services.recusals import decide_recusal, declare_recusal


def _own_units(user) -> list[InspectedUnit]:
    """The units of the user's current groups: what they must declare on."""
    return list(
        InspectedUnit.objects.filter(group__in=current_memberships(user).values("group_id"))
        .exclude(inspection_round__status__in=(InspectionRound.Status.ARCHIVED, InspectionRound.Status.CANCELLED))
        .select_related("org_unit", "inspection_round", "group")
        .order_by("-inspection_round__year", "group__number", "pk")
    )


@login_required
def my_declarations(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = _own_units(request.user)
    person_id = request.user.person_id
    if not units or person_id is None:  # no units without a person
        raise Http404
    declared = {
        d.inspected_unit_id: d for d in RecusalDeclaration.objects.filter(person_id=person_id, inspected_unit__in=units)
    }
    rows = [(unit, declared.get(unit.pk), DeclarationForm(prefix=f"u{unit.pk}")) for unit in units]
    return render(request, "talentpool/recusals/mine.html", {"rows": rows})


@login_required
@require_POST
def declare(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    """A member declares on one of the units of their own group, for themselves."""
    unit = next((u for u in _own_units(request.user) if u.pk == unit_pk), None)
    person = request.user.person
    if unit is None or person is None:  # no units without a person
        raise Http404
    form = DeclarationForm(request.POST, prefix=f"u{unit.pk}")
    try:
        if not form.is_valid():
            raise ValidationError(_("Answer whether you have a tie to the unit."))
        declare_recusal(
            by=request.user,
            person=person,
            inspected_unit=unit,
            has_conflict=form.cleaned_data["has_conflict"],
            relationships=form.relationships(),
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Declaration recorded."))
    return redirect("talentpool:recusal-mine")


@login_required
def board(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    if not request.user.has_perm("talentpool.view_recusaldeclaration"):
        raise Http404
    inspection_round = get_for_user_or_404(InspectionRound.objects.all(), request.user, pk=round_pk)
    return render(
        request,
        "talentpool/recusals/board.html",
        {"round": inspection_round, "groups": recusal_board(inspection_round)},
    )


@login_required
def board_export(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    """The board as rows: member, group, unit, and what was declared and decided."""
    if not request.user.has_perm("talentpool.view_recusaldeclaration"):
        raise Http404
    inspection_round = get_for_user_or_404(InspectionRound.objects.all(), request.user, pk=round_pk)
    rows = []
    for block in recusal_board(inspection_round):
        for row in block.rows:
            for unit, declaration in row.cells:
                if declaration is None:
                    state = _("Not declared")
                elif not declaration.has_conflict:
                    state = _("No tie")
                else:
                    state = declaration.get_decision_display() or _("Tie declared")
                ties = declaration.ties() if declaration else []
                rows.append(
                    [
                        block.group.label,
                        row.membership.person.name,
                        unit.org_unit.display_name,
                        state,
                        "、".join(t["label"] for t in ties),
                        "、".join(t["related_name"] for t in ties),
                        declaration.note if declaration else "",
                        declaration.decision_note if declaration else "",
                    ]
                )
    headers = [
        _("Group"),
        _("Member"),
        _("Inspected unit"),
        _("Status"),
        _("Kind of tie"),
        _("Name of the related person"),
        _("Declarant's note"),
        _("Note on the decision"),
    ]
    data, _count = write_table(_("Recusal declarations"), headers, rows, watermark=watermark_for(request))
    return attachment(data, _("recusals.xlsx"), XLSX)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    declaration = get_for_user_or_404(RecusalDeclaration.objects.all(), request.user, "change", pk=pk)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose recuse or allow."))
        decide_recusal(
            declaration=declaration,
            by=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("talentpool:recusal-board", round_pk=declaration.inspection_round_id)
