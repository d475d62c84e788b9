"""Every irreversible POST endpoint is confirmed before it acts (issue 14 item 5).

`IRREVERSIBLE` lists them (taken from the table of every POST URL in test_post_endpoints.py):
sending, approving and sending, withdrawing and cancelling, closing a clue, accepting an answer,
handing over, archiving, cancelling stuck work. Each is confirmed one of two ways:

- on a confirmation page (PAGE): the page that offers the action only links to it (no form
  posts there directly) and the confirmation page's form is what posts;
- in a dialog (DIALOG): the form that posts carries `data-confirm` and an "I confirm" checkbox
  (`includes/_confirm_field.html`); static/js/ui.js asks in a dialog and ticks it, and without
  JavaScript the checkbox is required, so the browser asks for the tick.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from clues.models import Clue, InfoRequestLetter
from clues.services import letters
from liaison.services import feedback
from tests.clues.lifecycle import register
from tests.conftest import World
from tests.helpers import logged_in
from tests.liaison.ledger_fixtures import draft_feedback
from tests.security.test_post_endpoints import POST_ENDPOINTS, _draft, _handover, _officers, _pools
from tests.talentpool.secondment_fixtures import requested, sent

pytestmark = pytest.mark.django_db

# Confirmed on a page of their own: the name of the page (or the endpoint's own GET).
PAGE = {
    "inspection:round-move": "inspection:round-move-confirm",
    "clues:transfer-send": "clues:transfer-proposals (review: transfer_confirm.html)",
    "core:stuck-reminder": "core:stuck-reminder (GET)",
    "core:stuck-delivery": "core:stuck-delivery (GET)",
    "core:stuck-requeue-all": "core:stuck-requeue-all (GET)",
    "clues:round-letters-approve": "clues:round-letters-approve (GET)",
    "clues:round-letters-bulk": "clues:round-letters-bulk (GET)",
    "clues:clue-hand-over": "clues:clue-hand-over (GET)",
    "clues:clue-grade-bulk": "clues:clue-grade-bulk (GET)",
    "clues:reply-accept": "clues:reply-accept (GET: the rows as read)",
}


def _pending_letter(world: World) -> InfoRequestLetter:
    letter = InfoRequestLetter.objects.get(pk=_draft(world))
    return letters.submit_for_approval(letter=letter, by=world.users["office_staff"])


def _letter_page(world: World, user: str) -> tuple[str, str, str]:
    letter = _pending_letter(world)
    return user, reverse("clues:letter-detail", args=[letter.pk]), str(letter.pk)


def _clue_page(world: World) -> tuple[str, str, str]:
    original, clue = register(world), register(world)
    Clue.objects.filter(pk=clue.pk).update(possible_duplicate_of=original)
    return "clue_custodian", reverse("clues:clue-detail", args=[clue.pk]), str(clue.pk)


def _secondment_page(world: World, status: str) -> tuple[str, str, str]:
    _pools(world)
    request = requested(world) if status == "draft" else sent(world)
    return "office_staff", reverse("talentpool:secondment-detail", args=[request.pk]), str(request.pk)


def _draw_page(world: World) -> tuple[str, str, str]:
    _pools(world)
    requested(world)
    return "office_staff", reverse("talentpool:group-draw", args=[world.group_a.pk]), str(world.group_a.pk)


def _feedback_page(world: World) -> tuple[str, str, str]:
    _officers(world)
    draft, _problem = draft_feedback(world)
    feedback.approve_feedback(by=world.users["leader_a"], feedback=draft)
    return "leader_a", reverse("liaison:feedback", args=[world.unit_a.pk]), str(world.unit_a.pk)


def _handover_page(world: World) -> tuple[str, str, str]:
    pk = _handover(world)
    return "member_a", reverse("liaison:handover-list", args=[world.unit_a.pk]), f"{pk}/cancel"


# Confirmed in a dialog: the endpoint, the page offering it (who, which page, the URL's tail),
# and a marker that picks the form when the endpoint has several (the duplicate decision).
DIALOG: dict[str, tuple[Callable[[World], tuple[str, str, str]], str]] = {
    "clues:letter-withdraw": (lambda world: _letter_page(world, "office_staff"), "/withdraw/"),
    "clues:letter-approve": (lambda world: _letter_page(world, "office_head"), "/approve/"),
    "clues:clue-duplicate": (_clue_page, 'value="merge"'),
    "clues:clue-out-of-scope": (_clue_page, "/out-of-scope/"),
    "talentpool:secondment-send": (lambda world: _secondment_page(world, "draft"), "/send/"),
    "talentpool:secondment-cancel": (lambda world: _secondment_page(world, "sent"), "/cancel/"),
    "talentpool:group-send-drafts": (_draw_page, '/send/"'),
    "liaison:feedback-deliver": (_feedback_page, "/deliver/"),
    "liaison:handover-action": (_handover_page, "/cancel/"),
}

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)


def _forms_posting_to(html: str, marker: str) -> list[str]:
    return [form for form in FORM.findall(html) if 'method="post"' in form and marker in form]


def test_every_listed_endpoint_accepts_post():
    assert set(PAGE) | set(DIALOG) <= set(POST_ENDPOINTS)


@pytest.mark.parametrize("name", sorted(DIALOG))
def test_an_irreversible_form_asks_for_confirmation(world: World, name: str) -> None:
    make_page, marker = DIALOG[name]
    user, page_url, _tail = make_page(world)
    html = logged_in(world.users[user]).get(page_url).content.decode()
    forms = _forms_posting_to(html, marker)
    assert forms, f"{page_url} offers no form for {name}"
    for form in forms:
        assert "data-confirm" in form, f"{name}: the form posts without a confirmation"
        assert re.search(r'<input type="checkbox"\s+name="confirmed"\s+value="1"\s+required>', form), form


def test_the_dialog_script_and_its_words_are_on_every_page(world: World) -> None:
    html = logged_in(world.users["office_staff"]).get(reverse("core:home")).content.decode()
    assert "js/ui.js" in html
    assert 'data-confirm-ok="确认"' in html


@pytest.mark.parametrize(
    ("name", "offering", "confirm"),
    [
        ("clues:round-letters-approve", "clues:round-letters", "clues:round-letters-approve"),
        ("clues:round-letters-bulk", "clues:round-letters", None),
    ],
)
def test_the_board_only_links_to_the_letters_confirmation(world: World, name: str, offering: str, confirm: Any) -> None:
    _pending_letter(world)
    head = logged_in(world.users["office_head"])
    html = head.get(reverse(offering, args=[world.round.pk])).content.decode()
    action = reverse(name, args=[world.round.pk])
    assert not _forms_posting_to(html, f'action="{action}"')
    if confirm:
        # Approve-all's confirmation posts the letters it lists to the bulk endpoint.
        page = head.get(reverse(confirm, args=[world.round.pk])).content.decode()
        assert _forms_posting_to(page, f'action="{reverse("clues:round-letters-bulk", args=[world.round.pk])}"')
        assert 'id="confirm-bulk"' in page


def test_the_registry_only_links_to_the_handover_confirmation(world: World) -> None:
    register(world)
    html = logged_in(world.users["clue_custodian"]).get(reverse("clues:clue-list")).content.decode()
    assert not _forms_posting_to(html, f'action="{reverse("clues:clue-hand-over")}"')


def test_the_round_only_links_to_its_move_confirmation(world: World) -> None:
    html = logged_in(world.users["office_head"]).get(reverse("inspection:round-detail", args=[world.round.pk]))
    assert not _forms_posting_to(html.content.decode(), "/move/")
