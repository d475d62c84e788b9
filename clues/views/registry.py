"""The clue registry: list, export, register by hand, one clue's story, screening and handover."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clues import jobs
from clues.exports import clues_workbook
from clues.forms import AssessmentForm, ClueRegisterForm, GradeForm, OutOfScopeForm, SendBackForm
from clues.models import Clue, ClueTransfer
from clues.selectors import registry as selectors
from clues.selectors.registry import ClueFilters
from clues.services import registry, screening, transfers
from clues.views.common import service_errors_to_messages
from core.http import XLSX, attachment, export_or_job
from core.jobs import start_job
from core.pagination import keyset_page
from core.permissions import get_for_user_or_404, user_can
from core.roles import CLUE_HOLDING_ROLES, Role
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectedUnit
from inspection.permissions import current_memberships, is_group_leader

PAGE_SIZE = 50


def _clue_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> Clue:
    return get_for_user_or_404(Clue.objects.all(), request.user, action, pk=pk)


@login_required
def clue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (request.user.has_perm("clues.view_clue") or request.user.has_role(*CLUE_HOLDING_ROLES)):
        raise Http404
    filters = ClueFilters.from_query(request.GET, request=request)
    clues = selectors.registry_page(request.user, filters)
    # A search ranks exact names first (the search's ranking), then the page's own order.
    page = keyset_page(
        clues,
        request,
        [*selectors.name_first(filters.q), *selectors.REGISTRY_PAGE_ORDER],
        PAGE_SIZE,
        rows=selectors.registry_rows(),
        ranks_every_row=bool(filters.q),
    )
    # Evaluates the page's rows once; the template reuses them.
    registry.record_list_read(user=request.user, rows=page.object_list, filters=filters.as_query(), request=request)
    can_hand_over = request.user.has_perm("clues.change_clue")
    template = "clues/partials/_clue_rows.html" if request.headers.get("HX-Request") else "clues/clue_list.html"
    return render(
        request,
        template,
        {
            "page_obj": page,
            "filters": filters,
            "query": filters.as_query(),
            "can_hand_over": can_hand_over,
            "can_export": request.user.has_perm("clues.export_clue"),
            "can_register": request.user.has_perm("clues.add_clue") or _registrable_units(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])  # POST starts a large export's background job
def clue_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Bulk export is the office head's alone (docs/domain.md §5.2 rule 9); logged with its filters."""
    if not request.user.has_perm("clues.export_clue"):
        raise Http404
    filters = ClueFilters.from_query(request.GET, request=request)
    clues = selectors.clue_registry(request.user, filters)

    def inline() -> HttpResponse:
        data, count = clues_workbook(clues, watermark=watermark_for(request), filters=filters.describe())
        registry.record_export(user=request.user, count=count, filters=filters.as_query(), request=request)
        return attachment(data, _("clues.xlsx"), XLSX)

    # A large registry is written in the worker (core.jobs); the filters go with it.
    return export_or_job(
        request, kind=jobs.EXPORT_CLUES, rows=clues.count(), args={"query": filters.as_query()}, inline=inline
    )


def _registrable_units(user):
    """Units the user may register clues for: all for the custodian, their own group's for members."""
    units = InspectedUnit.objects.select_related("org_unit", "inspection_round")
    if user.has_perm("clues.add_clue"):
        return units.for_user(user)
    return units.filter(group__in=current_memberships(user).values("group_id"))


@login_required
def clue_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = _registrable_units(request.user)
    if not units.exists():
        raise Http404
    form = ClueRegisterForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            clue = registry.register_clue(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Clue %(code)s registered.") % {"code": clue.code})
            if clue.possible_duplicate_of_id:
                messages.info(
                    request,
                    _("It looks like a clue registered earlier; the clue custodian has been told and will decide."),
                )
            return redirect("clues:clue-detail", pk=clue.pk)
    return render(request, "clues/clue_register.html", {"form": form})


@login_required
def clue_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_detail(request.user, pk)
    if clue is None:
        raise Http404
    registry.record_read(clue=clue, user=request.user, request=request)
    user = request.user
    can_change = user.has_perm("clues.change_clue")
    can_assess = clue.status in (Clue.Status.HANDED_TO_GROUP, Clue.Status.UNDER_ASSESSMENT) and user_can(
        user, "assess", clue
    )
    transfer_item = next(iter(clue.transfer_items.all()), None)
    # A receiver sees what was transferred and its own handling, not the office's and the group's work.
    show_group_work = not user.has_role(Role.COMMISSION_RECEIVER, Role.ORGDEPT_RECEIVER)
    return render(
        request,
        "clues/clue_detail.html",
        {
            "clue": clue,
            "transfer": transfer_item.transfer if transfer_item else None,
            "cases": selectors.cases_of(user, clue),
            "screening_events": selectors.screening_events(clue) if show_group_work else [],
            "can_reveal": user_can(user, "reveal", clue),
            "can_screen": can_change and clue.status in Clue.BEFORE_HANDOVER,
            "can_decide_duplicate": can_change and clue.status in screening.MERGEABLE,
            "can_grade": can_change
            and clue.status in (*Clue.BEFORE_HANDOVER, Clue.Status.HANDED_TO_GROUP, Clue.Status.UNDER_ASSESSMENT),
            "can_assess": can_assess,
            "can_propose": can_assess
            and (is_group_leader(user, clue.assigned_group_id) or user.has_perm("clues.approve_cluetransfer")),
            "can_send_back": clue.status == Clue.Status.PROPOSED_FOR_TRANSFER
            and user.has_perm("clues.approve_cluetransfer"),
            "can_dispose": clue.status in Clue.WITH_RECEIVER
            and transfer_item is not None
            and transfer_item.transfer.receiver_type != ClueTransfer.Receiver.INSPECTED_UNIT
            and user_can(user, "dispose", clue),
            "can_close_jiaoban": clue.status == Clue.Status.RECEIVED
            and transfer_item is not None
            and transfer_item.transfer.receiver_type == ClueTransfer.Receiver.INSPECTED_UNIT
            and can_change,
            # Receivers get the clue with the transfer's materials, not the group's internal work.
            "show_group_work": show_group_work,
            "readers": selectors.readers_of(clue) if user.has_perm("clues.approve_cluetransfer") else None,
            "grade_form": GradeForm(initial={"grade": clue.grade, "verifiability": clue.verifiability}),
            "scope_form": OutOfScopeForm(),
            "assessment_form": AssessmentForm(),
            "send_back_form": SendBackForm(),
        },
    )


@login_required
@require_POST
def clue_reveal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An htmx fragment with the reporter's identity; the reason goes into the access log."""
    clue = _clue_or_404(request, pk, "reveal")
    try:
        reporter = registry.reveal_reporter(
            clue=clue, user=request.user, reason=request.POST.get("reason", ""), request=request
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return render(request, "clues/partials/_reveal.html", {"clue": clue, "errors": exc.messages})
    return render(request, "clues/partials/_reveal.html", {"clue": clue, "reporter": reporter})


@login_required
@require_POST
@service_errors_to_messages
def clue_screen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    clue = _clue_or_404(request, pk, "change")
    form = GradeForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose a grade."))
    screening.screen(clue=clue, by=request.user, **form.cleaned_data)
    messages.success(request, _("Clue %(code)s graded.") % {"code": clue.code})
    return redirect("clues:clue-detail", pk=clue.pk)


@login_required
@require_POST
@service_errors_to_messages
def clue_duplicate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Merge into the suggested original, or dismiss the suggestion."""
    clue = _clue_or_404(request, pk, "change")
    if request.POST.get("decision") == "merge" and clue.possible_duplicate_of_id:
        original = _clue_or_404(request, clue.possible_duplicate_of_id, "change")
        screening.mark_duplicate(clue=clue, of=original, by=request.user)
        messages.success(request, _("Clue %(code)s closed as a duplicate.") % {"code": clue.code})
    else:
        screening.dismiss_duplicate(clue=clue, by=request.user)
        messages.success(request, _("Suggestion dismissed; both clues stay."))
    return redirect("clues:clue-detail", pk=clue.pk)


@login_required
@require_POST
@service_errors_to_messages
def clue_out_of_scope(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    clue = _clue_or_404(request, pk, "change")
    form = OutOfScopeForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Give the reason the clue is out of scope."))
    screening.mark_out_of_scope(clue=clue, by=request.user, **form.cleaned_data)
    messages.success(request, _("Clue %(code)s marked out of scope.") % {"code": clue.code})
    return redirect("clues:clue-detail", pk=clue.pk)


def _ticked_clues(request: AuthenticatedHttpRequest) -> tuple[list[Clue], str]:
    """The clues ticked on the registry (GET on the confirmation page, POST from it) that the user
    may change, and the registry's filters to go back to."""
    if not request.user.has_perm("clues.change_clue"):
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    ids = [int(i) for i in data.getlist("clue") if i.isdigit()]
    clues = list(
        Clue.objects.for_user(request.user, "change")
        .filter(pk__in=ids)
        .select_related("inspected_unit__org_unit", "assigned_group")
        .order_by("code")
    )
    if not clues or len(clues) != len(set(ids)):
        raise ValidationError(_("Tick the clues first."))
    return clues, ClueFilters.from_query(data).as_query()


def _back_to_registry(query: str) -> HttpResponse:
    return redirect(reverse("clues:clue-list") + (f"?{query}" if query else ""))


def _bulk_confirm(
    request: AuthenticatedHttpRequest, action: str, clues: list[Clue], query: str, form: GradeForm | None = None
) -> HttpResponse:
    rows = [(clue, screening.bulk_problems(clue, action)) for clue in clues]
    return render(
        request,
        "clues/clue_bulk_confirm.html",
        {
            "action": action,
            "rows": rows,
            "ready": sum(1 for _clue, problems in rows if not problems),
            # Handing over is all or nothing: one clue that cannot go holds the batch back.
            "blocked": action == screening.BULK_HAND_OVER and any(problems for _clue, problems in rows),
            "filters": QueryDict(query).lists(),
            "query": query,
            "form": form or GradeForm(),
            "in_background": len(clues) > settings.BULK_INLINE_MAX_ITEMS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])  # GET: the confirmation page; POST: the handover
@service_errors_to_messages
def clue_hand_over(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Bulk action of the registry: hand the ticked clues to the groups covering their units,
    after a confirmation page listing each clue and its group."""
    clues, query = _ticked_clues(request)
    if request.method == "GET":
        return _bulk_confirm(request, screening.BULK_HAND_OVER, clues, query)
    if len(clues) > settings.BULK_INLINE_MAX_ITEMS:
        # Many clues are handed over in the worker, with a progress page (core.jobs).
        job = start_job(jobs.HAND_OVER_CLUES, by=request.user, total=len(clues), clues=[c.pk for c in clues])
        return redirect("core:job", pk=job.pk)
    handed = screening.hand_over(clues=clues, by=request.user)
    messages.success(request, _("%(count)s clues handed to their groups.") % {"count": len(handed)})
    return _back_to_registry(query)


@login_required
@require_http_methods(["GET", "POST"])  # GET: the confirmation page with the grade; POST: grading
@service_errors_to_messages
def clue_grade_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Bulk grading of the registry: each ticked clue graded through `screen`; the refused listed."""
    clues, query = _ticked_clues(request)
    if request.method == "GET":
        return _bulk_confirm(request, screening.BULK_GRADE, clues, query)
    form = GradeForm(request.POST)
    if not form.is_valid():
        return _bulk_confirm(request, screening.BULK_GRADE, clues, query, form)
    if len(clues) > settings.BULK_INLINE_MAX_ITEMS:
        job = start_job(
            jobs.GRADE_CLUES, by=request.user, total=len(clues), clues=[c.pk for c in clues], **form.cleaned_data
        )
        return redirect("core:job", pk=job.pk)
    outcome = screening.grade_many(clues=clues, by=request.user, **form.cleaned_data)
    if outcome.done:
        messages.success(request, _("%(count)s clues graded.") % {"count": len(outcome.done)})
    for clue, problems in outcome.refused:
        messages.error(
            request,
            _("Clue %(code)s was not graded: %(reasons)s") % {"code": clue.code, "reasons": "；".join(problems)},
        )
    return _back_to_registry(query)


@login_required
@require_POST
@service_errors_to_messages
def clue_assess(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    clue = _clue_or_404(request, pk, "assess")
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose a conclusion."))
    transfers.record_assessment(clue=clue, by=request.user, **form.cleaned_data)
    messages.success(request, _("Assessment recorded."))
    return redirect("clues:clue-detail", pk=clue.pk)


@login_required
@require_POST
@service_errors_to_messages
def clue_send_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("clues.approve_cluetransfer"):
        raise Http404
    clue = _clue_or_404(request, pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Say what the group should look at again."))
    transfers.send_back(clue=clue, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("Clue %(code)s returned to the group.") % {"code": clue.code})
    return redirect("clues:transfer-proposals")
