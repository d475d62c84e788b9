"""WPS .et answers (issue 14 item 5): an .et saved as OOXML is read like .xlsx, judged by its
content; an .et in WPS's own binary format is refused with a message saying what to do."""

import io

import pytest
from django.urls import reverse
from django.utils import translation

from clues.models import ClueImportBatch
from clues.services import replies
from core.files import FileRejected
from tests.clues.test_replies import good_rows, workbook
from tests.core.test_files import ole_bytes
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def test_an_ooxml_et_is_staged_like_an_xlsx(world, sent):
    batch = replies.upload_workbook(
        letter=sent["x"], by=world.users["partner_x"], upload=workbook(good_rows(3)), name="线索.et"
    )
    assert batch.status == ClueImportBatch.Status.STAGED
    assert batch.rows_data == 3
    assert batch.file.kind == "xlsx"
    assert batch.file.original_name == "线索.et"


def test_a_partner_uploads_an_et_through_the_portal(world, sent):
    upload = workbook(good_rows(2))
    upload.name = "问题线索（WPS）.et"
    response = logged_in(world.users["partner_x"]).post(
        reverse("clues:letter-upload", args=[sent["x"].pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert ClueImportBatch.objects.get().rows_data == 2


@pytest.mark.parametrize("stream", ["Workbook", "ETDocument"])
def test_a_binary_et_is_refused_in_chinese_and_nothing_is_staged(world, sent, stream):
    with translation.override("zh-hans"), pytest.raises(FileRejected) as info:
        replies.upload_workbook(
            letter=sent["x"], by=world.users["partner_x"], upload=io.BytesIO(ole_bytes(stream)), name="线索.et"
        )
    assert "WPS" in info.value.messages[0]
    assert "另存为" in info.value.messages[0]
    assert not ClueImportBatch.objects.exists()


def test_the_portal_shows_the_binary_et_refusal(world, sent):
    upload = io.BytesIO(ole_bytes("Workbook"))
    upload.name = "线索.et"
    response = logged_in(world.users["partner_x"]).post(
        reverse("clues:letter-upload", args=[sent["x"].pk]), {"file": upload}, follow=True
    )
    assert "另存为" in response.content.decode()
    assert not ClueImportBatch.objects.exists()
