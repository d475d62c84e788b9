"""The conversion funnel and the standing-committee meetings that decide where clues end up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clues.exports import meetings_workbook
from clues.forms import MeetingForm
from clues.models import CaseRecord, Clue, StandingCommitteeMeeting
from clues.selectors import funnel as selectors
from clues.services import dispositions
from core.decorators import role_required
from core.http import XLSX, attachment
from core.roles import Role
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for

FUNNEL_ROLES = (Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN, Role.LEADING_GROUP_VIEWER)


@role_required(*FUNNEL_ROLES)
def funnel_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Counts for everyone on the page; the drill-down to clue lists only for who may read clues."""
    dimension = request.GET.get("by", "round")
    if dimension not in selectors.DIMENSIONS:
        dimension = "round"
    show_meetings = request.user.has_perm("clues.view_standingcommitteemeeting")
    return render(
        request,
        "clues/funnel.html",
        {
            "total": selectors.funnel(),
            "rows": selectors.funnel_by(dimension),
            "dimension": dimension,
            "dimensions": [
                ("round", _("By round")),
                ("group", _("By group")),
                ("partner", _("By source partner")),
                ("receiver", _("By receiver")),
            ],
            "can_drill": request.user.has_perm("clues.view_clue"),
            "missed_meetings": selectors.meetings_missing_office_head() if show_meetings else None,
        },
    )


@login_required
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("clues.view_standingcommitteemeeting"):
        raise Http404
    can_add = user.has_perm("clues.add_standingcommitteemeeting")
    form = None
    if can_add:
        form = MeetingForm(
            request.POST or None,
            clues=Clue.objects.for_user(user, "dispose").order_by("code"),
            cases=CaseRecord.objects.for_user(user, "change"),
        )
        if request.method == "POST" and form.is_valid():
            try:
                dispositions.record_meeting(by=user, commission=_commission_of(user), **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Meeting recorded."))
                return redirect("clues:meeting-list")
    meetings = (
        StandingCommitteeMeeting.objects.for_user(user)
        .annotate(item_count=Count("agenda_items"))
        .order_by("-date", "-pk")
    )
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    missed = set(selectors.meetings_missing_office_head().values_list("pk", flat=True))
    return render(request, "clues/meeting_list.html", {"page_obj": page, "form": form, "missed": missed})


@login_required
def meeting_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("clues.view_standingcommitteemeeting"):
        raise Http404
    meetings = (
        StandingCommitteeMeeting.objects.for_user(request.user)
        .annotate(item_count=Count("agenda_items"))
        .order_by("-date", "-pk")
    )
    data, _count = meetings_workbook(meetings, watermark=watermark_for(request))
    return attachment(data, _("meetings.xlsx"), XLSX)


def _commission_of(user):
    """The commission a receiver works for: their unit, or the commission above their office."""
    organisation = user.organisation
    while organisation is not None and organisation.parent_id and organisation.unit_type != "discipline_commission":
        organisation = organisation.parent
    if organisation is None:
        raise ValidationError(_("Your account belongs to no commission."))
    return organisation
