"""The draw for a group and the secondment requests: office, home-unit contact and group leader pages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import (
    DOCX,
    XLSX,
    attachment,
    form_errors,
    recipients_panel,
    record_paper_delivery_from,
    service_errors_to_messages,
)
from core.models import User
from core.permissions import get_for_user_or_404, user_can
from core.roles import Role
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectedUnit, InspectionGroup
from inspection.permissions import is_group_leader
from talentpool.documents import secondment_letter_docx
from talentpool.exports import secondments_workbook
from talentpool.forms import secondments as forms
from talentpool.forms.recusals import OnBehalfDeclarationForm
from talentpool.models import Draw, RecusalDeclaration, SecondmentEvaluation, SecondmentRequest, Specialty
from talentpool.selectors.fairness import secondments_per_person
from talentpool.selectors.secondments import (
    SecondmentFilters,
    home_unit_reachable,
    refusals_by_home_unit,
    secondment_board,
)
from talentpool.services import draw as draws
from talentpool.services import secondments
from talentpool.services.recusals import record_declaration_on_behalf
from talentpool.services.secondments import TERMINAL, site_work_over

Status = SecondmentRequest.Status
OFFICE_PERM = "talentpool.change_secondmentrequest"


# ---------------------------------------------------------------- the draw


def _draw_group_or_404(request: AuthenticatedHttpRequest, group_pk: int) -> InspectionGroup:
    """The draw is the office's (pool managers included); anyone else gets a 404."""
    if not request.user.has_perm("talentpool.add_draw"):
        raise Http404
    return get_for_user_or_404(InspectionGroup.objects.select_related("inspection_round"), request.user, pk=group_pk)


def _draw_or_404(request: AuthenticatedHttpRequest, pk: int) -> Draw:
    if not request.user.has_perm("talentpool.add_draw"):
        raise Http404
    return get_for_user_or_404(Draw.objects.select_related("group__inspection_round"), request.user, pk=pk)


@login_required
def group_draw(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    """Choose the skill mix and cap, see the proposal with the reasons for every exclusion."""
    group = _draw_group_or_404(request, group_pk)
    form = forms.DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = draws.draw_candidates(
                group=group,
                skill_mix=form.cleaned_data["skill_mix"],
                yearly_cap=form.cleaned_data["yearly_cap"],
                seed=form.cleaned_data["seed"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draw made with seed %(seed)s.") % {"seed": made.seed})
            return redirect("talentpool:group-draw", group_pk=group.pk)
    draw = Draw.objects.for_user(request.user).filter(group=group).first()
    context: dict[str, Any] = {"group": group, "form": form, "draw": draw}
    if draw is not None:
        labels = dict(Specialty.choices)
        context |= {
            "candidates": [{**row, "specialty_label": labels[row["specialty"]]} for row in draw.candidates],
            "excluded": [
                {**row, "reason_labels": [draws.EXCLUSION_REASONS[code] for code in row["reasons"]]}
                for row in draw.excluded
            ],
            "shortfall": {labels[code]: missing for code, missing in draws.shortfall(draw).items()},
            "override_form": forms.OverrideForm(candidates=draw.candidates),
            "open_count": sum(1 for row in draw.candidates if row["state"] == "proposed"),
        }
    context["size_warning"] = draws.size_warning(draws.group_size(group, draw))
    context["requests"] = list(
        SecondmentRequest.objects.for_user(request.user)
        .filter(group=group)
        .select_related("person", "home_unit")
        # Whether the home unit has a contact to receive the letter, else 线下送达 (issue 13 item 5).
        .annotate(reachable=home_unit_reachable())
    )
    # The send button only while a draft is left: once all went, it stayed and posted to no effect.
    context["has_drafts"] = any(r.status == Status.DRAFT for r in context["requests"])
    return render(request, "talentpool/secondments/draw.html", context)


@login_required
@require_POST
@service_errors_to_messages
def draw_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(request, pk)
    form = forms.AcceptProposalForm(request.POST)
    if not form.is_valid():
        raise form_errors(form)
    warning = draws.size_warning(draws.group_size(draw.group, draw))
    created = draws.accept_proposal(draw=draw, by=request.user, **form.cleaned_data)
    messages.success(request, _("%(count)s draft requests created.") % {"count": len(created)})
    if warning:
        messages.warning(request, warning)
    return redirect("talentpool:group-draw", group_pk=draw.group_id)


@login_required
@require_POST
@service_errors_to_messages
def draw_replace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(request, pk)
    form = forms.ReplaceCandidateForm(request.POST)
    if not form.is_valid():
        raise form_errors(form)
    draws.replace_candidate(draw=draw, entry_id=form.cleaned_data["entry"], by=request.user)
    messages.success(request, _("Candidate replaced."))
    return redirect("talentpool:group-draw", group_pk=draw.group_id)


@login_required
@require_POST
@service_errors_to_messages
def draw_override(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(request, pk)
    form = forms.OverrideForm(request.POST, candidates=draw.candidates)
    if not form.is_valid():
        raise form_errors(form)
    draws.override_candidate(draw=draw, by=request.user, **form.cleaned_data)
    messages.success(request, _("Person added to the proposal."))
    return redirect("talentpool:group-draw", group_pk=draw.group_id)


@login_required
@require_POST
@service_errors_to_messages
def group_send_drafts(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    """Send the letters of every draft request of the group, one transaction each."""
    group = _draw_group_or_404(request, group_pk)
    drafts = SecondmentRequest.objects.for_user(request.user, "change").filter(group=group, status=Status.DRAFT)
    if not drafts.exists():
        # A page drawn before the letters went, or a second click: say so rather than "0 sent".
        messages.info(request, _("No draft letter is left to send."))
        return redirect("talentpool:group-draw", group_pk=group.pk)
    sent = [secondments.send_request(request=draft, by=request.user) for draft in drafts.order_by("pk")]
    messages.success(request, _("%(count)s secondment letters sent.") % {"count": len(sent)})
    return redirect("talentpool:group-draw", group_pk=group.pk)


# ---------------------------------------------------------------- requests


def _request_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> SecondmentRequest:
    return get_for_user_or_404(
        SecondmentRequest.objects.select_related(
            "person", "home_unit", "group__inspection_round", "inspection_round", "substitute_for__person"
        ),
        request.user,
        action,
        pk=pk,
    )


def _may_list(user: Any) -> bool:
    return user.has_perm("talentpool.view_secondmentrequest") or user.has_role(
        Role.HOME_UNIT_CONTACT, Role.GROUP_LEADER
    )


@login_required
def secondment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's requests with the refusals per home unit; a contact's or a leader's own ones."""
    if not _may_list(request.user):
        raise Http404
    filters = SecondmentFilters.from_query(request.GET, request=request)
    board = secondment_board(request.user, filters)
    is_office = request.user.has_perm("talentpool.view_secondmentrequest")
    context: dict[str, Any] = {
        "page_obj": Paginator(board, 30).get_page(request.GET.get("page")),
        "filters": filters,
        "is_office": is_office,
        "today": timezone.localdate(),
    }
    if is_office:
        context["refusals"] = refusals_by_home_unit(board)
        context["decline_reasons"] = SecondmentRequest.DeclineReason.choices
    return render(request, "talentpool/secondments/request_list.html", context)


@login_required
def secondment_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's requests as filtered on the list."""
    if not request.user.has_perm("talentpool.view_secondmentrequest"):
        raise Http404
    filters = SecondmentFilters.from_query(request.GET, request=request)
    board = secondment_board(request.user, filters)
    data, _count = secondments_workbook(board, watermark=watermark_for(request), filters=filters.describe())
    return attachment(data, _("secondments.xlsx"), XLSX)


@login_required
def fairness(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Secondments per person and year: whether the draw spreads the burden."""
    if not request.user.has_perm("talentpool.view_secondmentrequest"):
        raise Http404
    years, rows = secondments_per_person()
    return render(request, "talentpool/secondments/fairness.html", {"years": years, "rows": rows})


@login_required
def secondment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = _request_or_404(request, pk)
    user = request.user
    is_office = user_can(user, "change", secondment)
    is_leader = is_group_leader(user, secondment.group)
    evaluation = SecondmentEvaluation.objects.filter(secondment=secondment).select_related("evaluator").first()
    status = secondment.status
    can_answer = (
        status in (Status.REQUESTED, Status.ESCALATED)
        and user.has_role(Role.HOME_UNIT_CONTACT)
        and user_can(user, "answer", secondment)
    )
    may_declare = is_office and user.has_perm("talentpool.add_recusaldeclaration") and status not in TERMINAL
    context = {
        "secondment": secondment,
        # The group's units stay unnamed to the home unit (docs/domain.md §5.2 rule 1): office and leaders only.
        "declarations": _declarations(secondment) if is_office or is_leader else [],
        "may_declare": may_declare,
        "declare_form": OnBehalfDeclarationForm() if may_declare else None,
        "confirm_form": forms.ConfirmForm(),
        "existing_account": User.objects.filter(person_id=secondment.person_id).first() if is_office else None,
        "evaluation": evaluation,
        "substitutes": secondment.substitutes.select_related("person"),
        "can_send": is_office and status == Status.DRAFT,
        "can_answer": can_answer,
        "can_decline": can_answer and status == Status.REQUESTED,
        "can_escalate": is_office and status == Status.DECLINED and user.has_role(Role.OFFICE_HEAD),
        "can_replace": is_office and status in (Status.DECLINED, Status.ESCALATED),
        "can_confirm": is_office and status == Status.ACCEPTED,
        "can_complete": is_office and status == Status.ON_DUTY and evaluation is not None,
        "can_cancel": is_office and status not in TERMINAL,
        "can_report": is_leader and status == Status.CONFIRMED,
        "can_evaluate": is_leader and status == Status.ON_DUTY and evaluation is None and site_work_over(secondment),
        "decline_form": forms.DeclineForm(),
        "escalate_form": forms.EscalateForm(),
        "replace_form": forms.ReplacePersonForm(refused=secondment),
        "evaluation_form": forms.EvaluationForm(),
        # The office sees who the request reaches before sending it, or 线下送达 (issue 13 item 5).
        "show_recipients": is_office,
        **recipients_panel(
            secondment,
            secondments.home_unit_contacts(secondment.home_unit),
            sent=secondment.sent_at is not None,
            paper_url=reverse("talentpool:secondment-paper-delivery", args=[secondment.pk]),
            may_record=is_office,
        ),
    }
    return render(request, "talentpool/secondments/request_detail.html", context)


def _declarations(secondment: SecondmentRequest) -> list[tuple[InspectedUnit, RecusalDeclaration | None]]:
    """The group's units with the person's declaration on each (None: not declared yet)."""
    if secondment.group_id is None:
        return []
    units = list(InspectedUnit.objects.filter(group_id=secondment.group_id).select_related("org_unit").order_by("pk"))
    declared = {
        d.inspected_unit_id: d
        for d in RecusalDeclaration.objects.filter(
            person_id=secondment.person_id, inspected_unit__in=units
        ).select_related("recorded_by", "signed_form")
    }
    return [(unit, declared.get(unit.pk)) for unit in units]


@login_required
@require_POST
@service_errors_to_messages
def secondment_declare(request: AuthenticatedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """代为登记: the office records the cadre's signed paper declaration on one unit of the group."""
    secondment = _request_or_404(request, pk, "change")
    if not request.user.has_perm("talentpool.add_recusaldeclaration"):
        raise Http404
    unit = get_for_user_or_404(InspectedUnit.objects.filter(group_id=secondment.group_id), request.user, pk=unit_pk)
    form = OnBehalfDeclarationForm(request.POST, request.FILES)
    if not form.is_valid():
        raise form_errors(form)
    upload = form.cleaned_data["signed_form"]
    record_declaration_on_behalf(
        by=request.user,
        person=secondment.person,
        inspected_unit=unit,
        has_conflict=form.cleaned_data["has_conflict"],
        relationships=form.relationships(),
        note=form.cleaned_data["note"],
        signed_form=upload,
        form_name=upload.name,
    )
    return _done(
        secondment, request, _("Declaration recorded on %(name)s's behalf.") % {"name": secondment.person.name}
    )


@login_required
def secondment_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = _request_or_404(request, pk)
    name = f"{secondment.doc_number or secondment.pk}.docx"
    return attachment(secondment_letter_docx(secondment, watermark=watermark_for(request)), name, DOCX)


def _done(secondment: SecondmentRequest, request: AuthenticatedHttpRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("talentpool:secondment-detail", pk=secondment.pk)


@login_required
@require_POST
@service_errors_to_messages
def secondment_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = secondments.send_request(request=_request_or_404(request, pk, "change"), by=request.user)
    return _done(secondment, request, _("Letter %(number)s sent.") % {"number": secondment.doc_number})


@login_required
@require_POST
@service_errors_to_messages
def secondment_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = secondments.accept_request(request=_request_or_404(request, pk, "answer"), by=request.user)
    return _done(secondment, request, _("You agreed to release %(name)s.") % {"name": secondment.person.name})


@login_required
@require_POST
@service_errors_to_messages
def secondment_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = _request_or_404(request, pk, "answer")
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        raise form_errors(form)
    secondment = secondments.decline_request(request=secondment, by=request.user, **form.cleaned_data)
    return _done(secondment, request, _("Your refusal has been sent to the inspection office."))


@login_required
@require_POST
@service_errors_to_messages
def secondment_escalate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = _request_or_404(request, pk, "change")
    form = forms.EscalateForm(request.POST)
    if not form.is_valid():
        raise form_errors(form)
    secondment = secondments.escalate_request(request=secondment, by=request.user, **form.cleaned_data)
    return _done(secondment, request, _("Refusal escalated."))


@login_required
@require_POST
@service_errors_to_messages
def secondment_replace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = _request_or_404(request, pk, "change")
    form = forms.ReplacePersonForm(request.POST, refused=secondment)
    if not form.is_valid():
        raise form_errors(form)
    substitute = secondments.replace_request(request=secondment, by=request.user, **form.cleaned_data)
    return _done(substitute, request, _("Substitute request created as a draft."))


@login_required
@require_POST
@service_errors_to_messages
def secondment_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = _request_or_404(request, pk, "change")
    form = forms.ConfirmForm(request.POST)
    if not form.is_valid():
        raise form_errors(form)
    had_account = User.objects.filter(person_id=secondment.person_id).exists()
    secondment = secondments.confirm_request(request=secondment, by=request.user, **form.cleaned_data)
    if form.cleaned_data["account"] and not had_account:
        messages.info(
            request,
            _("Account %(username)s was created without a password: a superuser sets the first one.")
            % {"username": secondment.person.user.get_username()},
        )
    return _done(secondment, request, _("%(name)s joins the group.") % {"name": secondment.person.name})


@login_required
@require_POST
@service_errors_to_messages
def secondment_paper_delivery(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The office records how a request to a home unit without a reachable contact reached it on paper."""
    secondment = _request_or_404(request, pk, "change")
    record_paper_delivery_from(request, secondment)
    return redirect("talentpool:secondment-detail", pk=secondment.pk)


@login_required
@require_POST
@service_errors_to_messages
def secondment_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = secondments.cancel_request(request=_request_or_404(request, pk, "change"), by=request.user)
    return _done(secondment, request, _("Request cancelled."))


@login_required
@require_POST
@service_errors_to_messages
def secondment_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = secondments.complete_request(request=_request_or_404(request, pk, "change"), by=request.user)
    return _done(secondment, request, _("Secondment completed."))


def _led_request_or_404(request: AuthenticatedHttpRequest, pk: int) -> SecondmentRequest:
    """A request of a group the user leads; anyone else gets a 404."""
    secondment = _request_or_404(request, pk)
    if not is_group_leader(request.user, secondment.group):
        raise Http404
    return secondment


@login_required
@require_POST
@service_errors_to_messages
def secondment_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = secondments.report_for_duty(request=_led_request_or_404(request, pk), by=request.user)
    return _done(secondment, request, _("Report for duty recorded."))


@login_required
@require_POST
@service_errors_to_messages
def secondment_evaluate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    secondment = _led_request_or_404(request, pk)
    form = forms.EvaluationForm(request.POST)
    if not form.is_valid():
        raise form_errors(form)
    secondments.record_evaluation(request=secondment, by=request.user, **form.cleaned_data)
    return _done(secondment, request, _("Evaluation recorded and sent to the home unit."))
