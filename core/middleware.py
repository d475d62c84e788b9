from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views import defaults


def no_store(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Cache-Control: no-store on every response to a logged-in user, pages and downloads alike.

    Whatever a logged-in user sees may name an official or a reporter; neither the browser's
    disk cache nor a proxy on the way may keep it. Static files never get here: WhiteNoise
    answers them earlier, with its own long cache headers.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"  # HTTP/1.0 caches know no Cache-Control
        return response

    return middleware


def product_error_pages(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """With DEBUG on, Django answers a missing page or a crash with its English technical page. An
    office trying the product on a development install should see the Chinese pages it will see
    in production, so those answers are replaced by the product's 404 and 500 pages. The
    traceback of a 500 still reaches the console (django.request logs it before this runs).
    XC_TECHNICAL_ERROR_PAGES=1 brings Django's pages back. With DEBUG off this does nothing:
    Django renders the same templates itself. (No view answers 404 or 500 with its own page;
    a 403 is the product's page whatever DEBUG says.)"""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not settings.DEBUG or settings.TECHNICAL_ERROR_PAGES:
            return response
        if response.status_code == 404:
            return defaults.page_not_found(request, Http404())
        if response.status_code == 500:
            return defaults.server_error(request)
        return response

    return middleware
