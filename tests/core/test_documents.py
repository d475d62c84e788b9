"""Official documents from the office's Word templates (issue 14 item 2): the defaults follow
GB/T 9704, an upload must render with a sample context, and the default comes back on revert."""

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook

from core import documents
from core.documents import OfficialDocument, document_text
from core.models import AuditLog, DocumentTemplate, StoredFile
from core.wording import office_name
from tests.conftest import World, assert_matrix, role_keys
from tests.helpers import logged_in

KINDS = [
    "info_request_letter",
    "transfer_letter",
    "secondment_letter",
    "handover_list",
    "rectification_notice",
    "summary",
]
PAGE = reverse("core:document-templates")


def _docx(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _upload(world: World, kind: str, content: bytes, name: str = "模板.docx"):
    url = reverse("core:document-template-upload", args=[kind])
    return logged_in(world.users["office_head"]).post(
        url, {f"{kind}-file": SimpleUploadedFile(name, content)}, follow=True
    )


def _errors(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def test_every_kind_of_document_is_registered_with_a_default():
    assert sorted(k.code for k in documents.kinds()) == sorted(KINDS)
    assert all(k.default.is_file() for k in documents.kinds())


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_default_template_renders_the_parts_of_an_official_document(kind):
    data = documents.render(kind, documents.kind_named(kind).sample(), watermark="水印行")
    lines = document_text(data).splitlines()
    # 版头: 密级 and 紧急程度 top left, the 红头 (the office in red), the 文号 above the red rule.
    assert lines[:4] == ["秘密", "特急", office_name(), "示巡办函〔2017〕1号"]
    assert "示例单位：" in lines  # 主送
    assert "正文第一段。" in lines
    assert "附件：1．示例附件一" in lines
    assert "　　　2．示例附件二" in lines
    assert lines.count(office_name()) == 2  # 红头 and 落款
    assert "二〇一七年八月三日" in lines  # 成文日期 in Chinese numerals
    assert "（联系人：张三，联系电话：0000-00000000）" in lines
    assert "抄送：示例抄送单位。" in lines
    assert lines[-1] == f"{office_name()}　　　　2017年8月3日印发"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
    masthead = body[: body.index(office_name())]
    assert 'w:color w:val="FF0000"' in masthead[masthead.rindex("<w:r>") :]
    assert 'w:color="FF0000"' in body  # the red rule under the 文号
    margins = document_text(data, margins=True).splitlines()
    assert (margins[0], margins[-1]) == ("水印行", "水印行")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("contact", "phone", "line"),
    [("张三", "", "（联系人：张三）"), ("", "0000-00000000", "（联系电话：0000-00000000）")],
)
def test_a_contact_or_phone_left_empty_is_left_out_of_the_note(kind, contact, phone, line):
    document = OfficialDocument(title="标题", body=["正文"], contact=contact, phone=phone)
    lines = document_text(documents.render(kind, document, watermark="水印行")).splitlines()
    assert line in lines


@pytest.mark.django_db
def test_marks_and_notes_that_are_not_set_leave_no_line():
    data = documents.render("summary", OfficialDocument(title="标题", body=["正文"]), watermark="水印行")
    lines = document_text(data).splitlines()
    assert lines[:2] == [office_name(), "标题"]
    assert not [line for line in lines if line.startswith(("附件", "抄送", "（联系人", "秘密", "特急"))]


def test_only_the_office_head_reaches_the_settings(world: World):
    assert_matrix(world, PAGE, role_keys("office_head"))
    assert_matrix(world, reverse("core:document-template-file", args=["summary"]), role_keys("office_head"))
    assert_matrix(world, reverse("core:document-template-sample", args=["summary"]), role_keys("office_head"))
    assert (
        logged_in(world.users["office_head"]).get(reverse("core:document-template-file", args=["nope"])).status_code
        == 404
    )


def test_the_sample_carries_the_reader_s_watermark(world: World):
    response = logged_in(world.users["office_head"]).get(reverse("core:document-template-sample", args=["summary"]))
    assert "head" in document_text(response.content, margins=True).splitlines()[0]


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (_docx("{% frobnicate %}"), "坏标签.docx", "模板中有无法填写的标签"),
        (_docx("{{ no_such_field }}"), "未知字段.docx", "模板使用了不存在的字段"),
        (b"just text, not a Word file", "文本.docx", "此处不接受该类型的文件"),
        (b"PK\x03\x04broken", "坏文件.docx", "文件已损坏"),
        (_xlsx(), "表格.docx", "此处不接受该类型的文件"),
    ],
)
def test_a_template_that_does_not_render_is_refused_in_chinese(world: World, content, name, expected):
    response = _upload(world, "info_request_letter", content, name)
    errors = _errors(response)
    assert errors, response.content.decode()[:500]
    assert any(expected in e for e in errors), errors
    assert not DocumentTemplate.objects.exists()
    assert not StoredFile.objects.exists()


def test_an_uploaded_template_is_used_and_revert_brings_back_the_default(world: World):
    response = _upload(
        world, "summary", _docx("本办自定义模板", "{{ title }}", "{% for line in body %}{{ line }}{% endfor %}")
    )
    assert not _errors(response)
    own = DocumentTemplate.objects.get(kind="summary")
    assert own.uploaded_by == world.users["office_head"]
    assert AuditLog.objects.filter(action=AuditLog.Action.CREATE, object_id=str(own.pk)).exists()
    head = logged_in(world.users["office_head"])
    assert "模板.docx" in head.get(PAGE).content.decode()

    text = document_text(head.get(reverse("reports:dashboard-docx")).content, margins=True)
    assert "本办自定义模板" in text.splitlines()
    assert "head" in text.splitlines()[0]  # the watermark, though the template has no header
    assert office_name() not in text  # no 红头: the office's own layout
    # Another upload replaces it; its file goes with it.
    _upload(world, "summary", _docx("第二版 {{ title }}"))
    assert DocumentTemplate.objects.count() == 1
    assert StoredFile.objects.count() == 1

    head.post(reverse("core:document-template-revert", args=["summary"]))
    assert not DocumentTemplate.objects.exists()
    assert not StoredFile.objects.exists()
    text = document_text(head.get(reverse("reports:dashboard-docx")).content)
    assert text.splitlines()[0] == office_name()


def test_the_template_download_is_the_template_in_use(world: World):
    head = logged_in(world.users["office_head"])
    url = reverse("core:document-template-file", args=["transfer_letter"])
    assert head.get(url).content == documents.kind_named("transfer_letter").default.read_bytes()
    own = _docx("自定义 {{ title }}")
    _upload(world, "transfer_letter", own)
    assert head.get(url).content == own


def test_a_template_that_fails_on_real_values_falls_back_to_the_default(world: World, caplog):
    # Passes the sample (two body lines) but not a one-line body.
    _upload(world, "summary", _docx("{{ body[1] }}"))
    assert DocumentTemplate.objects.filter(kind="summary").exists()
    data = documents.render("summary", OfficialDocument(title="标题", body=["只有一行"]), watermark="水印行")
    assert document_text(data).splitlines()[:2] == [office_name(), "标题"]
    assert "failed on a document" in caplog.text
