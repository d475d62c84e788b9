"""`seed_demo --if-empty` and `stats` on a database without the demo.

Apart from tests/demo/test_seed_demo.py, whose tests share one seed for the whole module.
"""

import json
from io import StringIO
from typing import Any

from django.core.management import call_command

from clues.models import PartnerUnit
from core.models import User
from demo import data
from inspection.models import InspectionRound
from tests.conftest import make_user
from tests.demo.test_seed_demo import counts, seed


def test_stats_on_an_empty_database(db: Any) -> None:
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["partner_unit_count"] == 0
    assert figures["inspected_unit_count"] == 0
    assert figures["seconded_share"] == {}
    assert figures["letters_sent"] == 0
    assert figures["partner_clue_count"] == 0


def test_if_empty_does_nothing_when_a_user_exists(db: Any) -> None:
    make_user("someone")
    before = counts()
    output = seed("--if-empty")
    assert counts() == before
    assert not PartnerUnit.objects.exists()
    assert not InspectionRound.objects.exists()
    assert "演示账号" in output  # the accounts are still listed


def test_if_empty_seeds_an_empty_database(db: Any) -> None:
    seed("--if-empty")
    assert User.objects.count() == len(data.ACCOUNTS)
    assert PartnerUnit.objects.count() == 12
    assert InspectionRound.objects.count() == 6
