from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.navigation import nav_items_for
from core.selectors import unread_count
from core.wording import office_name


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    base = {
        "platform_name": _("Inspection coordination platform"),
        "jurisdiction_name": settings.INSPECTION_JURISDICTION_NAME,
        "office_name": office_name(),
    }
    if user is None or not user.is_authenticated:
        return base
    unread = unread_count(user)
    match = request.resolver_match
    return {
        **base,
        "unread_count": unread,
        "nav_items": nav_items_for(
            user,
            current_namespace=match.namespace if match else "",
            current_name=(match.url_name or "") if match else "",
            unread=unread,
        ),
    }
