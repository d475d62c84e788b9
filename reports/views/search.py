"""The site-wide search page: what the user may open, by name, number or text."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.search import CAP
from core.types import AuthenticatedHttpRequest
from reports.selectors.search import MAX_QUERY_LENGTH, clean_query, search


@login_required
def search_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = clean_query(request.GET.get("q", ""))
    sections = search(request.user, q, request)
    return render(
        request,
        "reports/search.html",
        {"q": q, "sections": sections, "cap": CAP, "max_length": MAX_QUERY_LENGTH},
    )
