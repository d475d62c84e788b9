"""The line every download carries (docs/domain.md §5.2 rule 9): who downloaded it and when.

One helper makes the text from the request; the writers (core.documents, core.excel.export,
core.excel.errors) take it as `watermark` and put it where a reader sees it and where the
file's properties keep it, so a printed or forwarded copy still names its reader.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _


def watermark_text(user: Any, at: datetime | None = None) -> str:
    """ "Downloaded by 张三 (zhangsan) at 2026-12-07 13:47" in the office's time zone (Asia/Shanghai)."""
    moment = timezone.localtime(at or timezone.now())
    name = user.get_full_name() or user.get_username()
    return _("Downloaded by %(name)s (%(username)s) at %(time)s; for official use only, do not pass on") % {
        "name": name,
        "username": user.get_username(),
        "time": f"{moment:%Y-%m-%d %H:%M}",
    }


def watermark_for(request: HttpRequest) -> str:
    """The watermark of a download: the requesting user, now."""
    return watermark_text(request.user)
