from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clues import selectors
from clues.exports import opinion_workbook
from clues.forms import OpinionForm
from clues.models import OnlineOpinionItem
from clues.services import opinion
from clues.views.common import service_errors_to_messages
from core.files import FileRejected
from core.http import XLSX, attachment
from core.pagination import keyset_page
from core.permissions import get_for_user_or_404
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectionRound


@login_required
def opinion_list(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    inspection_round = get_for_user_or_404(InspectionRound.objects.all(), request.user, pk=round_pk)
    can_add = request.user.has_perm("clues.add_onlineopinionitem")
    form = OpinionForm(inspection_round=inspection_round)
    if request.method == "POST" and can_add:
        form = OpinionForm(request.POST, request.FILES, inspection_round=inspection_round)
        if form.is_valid():
            data = dict(form.cleaned_data)
            snapshot = data.pop("snapshot_file")
            try:
                opinion.record_opinion_item(
                    inspection_round=inspection_round,
                    by=request.user,
                    snapshot=snapshot,
                    snapshot_name=snapshot.name if snapshot else "",
                    **data,
                )
            except FileRejected as exc:
                form.add_error("snapshot_file", exc)
            else:
                messages.success(request, _("Item recorded."))
                return redirect("clues:opinion-list", round_pk=inspection_round.pk)
    items = selectors.opinion_items_for(request.user, inspection_round)
    page = keyset_page(items, request, selectors.OPINION_ORDER, 30)
    return render(
        request,
        "clues/opinion_list.html",
        {"round": inspection_round, "page_obj": page, "form": form if can_add else None},
    )


@login_required
def opinion_export(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    inspection_round = get_for_user_or_404(InspectionRound.objects.all(), request.user, pk=round_pk)
    data, _count = opinion_workbook(
        selectors.opinion_items_for(request.user, inspection_round),
        watermark=watermark_for(request),
        filters=_("Round: %(round)s") % {"round": inspection_round.title},
    )
    return attachment(data, _("online-opinion.xlsx"), XLSX)


@login_required
@require_POST
@service_errors_to_messages
def opinion_convert(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_for_user_or_404(OnlineOpinionItem.objects.all(), request.user, "change", pk=pk)
    clue = opinion.convert_to_clue(item=item, by=request.user)
    messages.success(request, _("Clue %(code)s registered.") % {"code": clue.code})
    return redirect("clues:opinion-list", round_pk=item.inspection_round_id)
