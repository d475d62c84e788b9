"""Types the apps share for type checking (mypy with django-stubs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a login-required view gets: its user is a User, never AnonymousUser.

    Only an annotation: Django passes a plain HttpRequest, and login_required (or a decorator
    built on it) guarantees the user. Views open to anonymous users keep HttpRequest.
    """

    user: User


class AxesHttpRequest(HttpRequest):
    """The request django-axes' middleware and handler have annotated (attributes axes sets).

    Only an annotation, as above: axes sets these on the plain HttpRequest it is given.
    """

    axes_ip_address: str | None
    axes_locked_out: bool
    axes_credentials: dict[str, Any] | None
