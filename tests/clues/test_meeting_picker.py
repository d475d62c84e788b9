"""The standing-committee meeting's clue picker is a checkbox list with a filter box (issue 14
item 5): static/js/ui.js adds the box above a `.filterable` list; without JavaScript the list of
checkboxes works on its own (no ctrl-click multi-select)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from clues.models import StandingCommitteeMeeting
from tests.clues.lifecycle import received
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def test_the_clue_picker_is_a_filterable_checkbox_list(world):
    clue = received(world)
    html = logged_in(world.users["commission_receiver"]).get(reverse("clues:meeting-list")).content.decode()
    assert 'class="filterable"' in html
    assert f'type="checkbox" name="clues" value="{clue.pk}"' in html
    assert "<select multiple" not in html
    assert 'data-filter-placeholder="输入关键字筛选列表"' in html


def test_ticking_clues_records_them_on_the_meeting(world):
    clue = received(world)
    response = logged_in(world.users["commission_receiver"]).post(
        reverse("clues:meeting-list"), {"date": "2018-01-10", "session_no": "第3次", "clues": [clue.pk]}
    )
    assert response.status_code == 302
    meeting = StandingCommitteeMeeting.objects.get()
    assert list(meeting.agenda_items.values_list("clue_id", flat=True)) == [clue.pk]


def test_the_filter_script_is_self_hosted_and_filters_select_and_checkbox_lists():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "ui.js").read_text(encoding="utf-8")
    assert "select[multiple], .filterable" in script
    assert "http" not in script  # no external library
