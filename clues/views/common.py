from clues.models import InfoRequestLetter
from core.http import service_errors_to_messages as _service_errors_to_messages
from core.permissions import get_for_user_or_404
from core.types import AuthenticatedHttpRequest

# The clue and letter pages fall back to the letter list, where their work starts.
service_errors_to_messages = _service_errors_to_messages(fallback="clues:letter-list")


def letter_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> InfoRequestLetter:
    return get_for_user_or_404(
        InfoRequestLetter.objects.select_related("partner__org_unit", "inspection_round"), request.user, action, pk=pk
    )
