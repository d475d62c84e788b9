"""The world of tests/conftest.py plus a pool manager, and roster workbooks written in tests."""

import io
from typing import Any

import openpyxl
import pytest

from core.models import Organisation
from tests.conftest import World, make_user
from tests.factories import OrganisationFactory

HEADER = ["姓名", "性别", "出生年份", "原单位", "职务", "职级", "专业特长", "人才库", "推荐单位", "联系电话"]
POOL_ROLES = ("office_head", "office_staff", "pool_manager")


@pytest.fixture
def pool_world(world: World) -> World:
    """The shared world, with a pool manager among its users and two home units."""
    office = Organisation.objects.get(name="巡察办")
    world.users["pool_manager"] = make_user("pool_mgr", "pool_manager", organisation=office)
    OrganisationFactory(name="区财政局", short_name="财政局", aliases=["区财政"])
    OrganisationFactory(name="区审计局", short_name="审计局")
    return world


def roster_bytes(rows: list[list[Any]], *, header: list[str] = HEADER, above: list[list[Any]] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in (*above, header, *rows):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
