"""The unit's feedback page: the group records the meeting and problems, approves and delivers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.files import FileRejected
from core.permissions import get_for_user_or_404
from core.types import AuthenticatedHttpRequest
from inspection.models import InspectedUnit
from liaison.forms.ledger import FeedbackForm, ProblemForm
from liaison.models import Feedback
from liaison.selectors import ledger_problems
from liaison.services import feedback as feedback_services
from liaison.services.feedback import acts_for_group, sees_clue_links

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def run_service(
    request: AuthenticatedHttpRequest, target: str, action: Callable[[], Any], success: StrOrPromise = ""
) -> HttpResponse:
    """Call the service; a refusal becomes a message (the service wrote nothing), and so does
    `success` when the step went through (else the page looks as if nothing happened). Then go to target."""
    try:
        action()
    except (ValidationError, FileRejected) as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if success:
            messages.success(request, success)
    return redirect(target)


def unit_feedback_or_404(request: AuthenticatedHttpRequest, unit_pk: int) -> tuple[InspectedUnit, Feedback | None]:
    """The unit and its feedback as this user may see them.

    The feedback is the gate: the officer sees it only once delivered, a group member once
    recorded. Before it exists only the group's leaders and the office get the page.
    """
    unit = get_for_user_or_404(
        InspectedUnit.objects.select_related("org_unit", "group", "inspection_round"), request.user, pk=unit_pk
    )
    feedback = Feedback.objects.for_user(request.user).filter(inspected_unit=unit).first()
    if feedback is None and not acts_for_group(request.user, unit):
        raise Http404
    return unit, feedback


@login_required
def feedback_page(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    unit, feedback = unit_feedback_or_404(request, unit_pk)
    can_edit = acts_for_group(request.user, unit) and (feedback is None or feedback.status != Feedback.Status.DELIVERED)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        form = FeedbackForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            upload = data["document"]
            return run_service(
                request,
                request.path,
                lambda: feedback_services.record_feedback(
                    by=request.user,
                    inspected_unit=unit,
                    meeting_date=data["meeting_date"],
                    principal_oneonone_date=data["principal_oneonone_date"],
                    document=upload,
                    document_name=upload.name if upload else "",
                ),
            )
    else:
        initial = (
            {"meeting_date": feedback.meeting_date, "principal_oneonone_date": feedback.principal_oneonone_date}
            if feedback
            else None
        )
        form = FeedbackForm(initial=initial)
    problems = ledger_problems(feedback) if feedback else []
    context = {
        "unit": unit,
        "feedback": feedback,
        "problems": problems,
        "clue_links": feedback_services.openable_source_clues(request.user, problems),
        "can_edit": can_edit,
        "form": form,
        "problem_form": ProblemForm(),
        "show_clue_links": sees_clue_links(request.user),
    }
    return render(request, "liaison/ledger/feedback.html", context)


@login_required
@require_POST
def problem_add(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    unit, feedback = unit_feedback_or_404(request, unit_pk)
    if feedback is None or not acts_for_group(request.user, unit):
        raise Http404
    target = reverse("liaison:feedback", args=[unit.pk])
    form = ProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    return run_service(
        request, target, lambda: feedback_services.add_problem(by=request.user, feedback=feedback, **form.cleaned_data)
    )


@login_required
@require_POST
def feedback_approve(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    return _step(request, unit_pk, feedback_services.approve_feedback)


@login_required
@require_POST
def feedback_deliver(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    return _step(request, unit_pk, feedback_services.deliver_feedback)


def _step(request: AuthenticatedHttpRequest, unit_pk: int, service: Callable[..., Feedback]) -> HttpResponse:
    unit, feedback = unit_feedback_or_404(request, unit_pk)
    if feedback is None or not acts_for_group(request.user, unit):
        raise Http404
    target = reverse("liaison:feedback", args=[unit.pk])
    return run_service(request, target, lambda: service(by=request.user, feedback=feedback))
