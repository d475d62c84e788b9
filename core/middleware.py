from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


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
