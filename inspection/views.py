from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.permissions import get_for_user_or_404
from inspection.models import InspectionRound
from inspection.selectors import round_detail_for, rounds_for


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(rounds_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "inspection/round_list.html", {"page_obj": page})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection_round = get_for_user_or_404(InspectionRound.objects.all(), request.user, pk=pk)
    groups = round_detail_for(request.user, inspection_round)
    return render(
        request,
        "inspection/round_detail.html",
        {"round": inspection_round, "groups": groups},
    )
