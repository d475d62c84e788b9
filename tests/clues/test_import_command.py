"""`manage.py import_clues PATH --letter DOC_NUMBER [--commit] [--json]`: the contract."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from clues.models import Clue, ClueImportBatch, InfoRequestLetter, LetterReply
from core.models import StoredFile
from tests.clues.test_replies import PDF, good_rows, workbook


def run(*args: str) -> tuple[int, dict]:
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_clues", *args, "--json", stdout=out)
    return exit_info.value.code, json.loads(out.getvalue())


@pytest.fixture
def letter(sent) -> InfoRequestLetter:
    return sent["x"]


def _file(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_dry_run_validates_and_writes_nothing(letter, tmp_path):
    path = _file(tmp_path, "ok.xlsx", workbook(good_rows(2)).getvalue())
    code, report = run(path, "--letter", letter.doc_number)
    assert code == 0
    assert report == {
        "status": "ok",
        "committed": False,
        "nil_return": False,
        "data_rows": 2,
        "clues_created": 0,
        "errors": [],
        "warnings": report["warnings"],
    }
    assert not ClueImportBatch.objects.exists()
    assert not StoredFile.objects.exists()


def test_commit_registers_the_clues_whatever_the_letter_state(letter, tmp_path):
    path = _file(tmp_path, "ok.xlsx", workbook(good_rows(2)).getvalue())
    code, report = run(path, "--letter", letter.doc_number, "--commit")
    assert code == 0
    assert report["committed"] is True
    assert report["clues_created"] == 2
    assert Clue.objects.filter(source_partner=letter.partner).count() == 2
    reply = LetterReply.objects.get()
    assert reply.on_paper
    assert reply.status == LetterReply.Status.ACCEPTED
    assert InfoRequestLetter.objects.get(pk=letter.pk).status == InfoRequestLetter.Status.ACCEPTED
    # A second file for the same letter, now accepted, still goes in.
    code, report = run(
        _file(tmp_path, "more.xlsx", workbook(good_rows(1)).getvalue()), "--letter", letter.doc_number, "--commit"
    )
    assert code == 0
    assert Clue.objects.count() == 3


def test_a_row_error_exits_1_and_commits_nothing(letter, tmp_path):
    rows = good_rows(2)
    rows[1][7] = "2017-02-30"
    path = _file(tmp_path, "bad.xlsx", workbook(rows).getvalue())
    code, report = run(path, "--letter", letter.doc_number, "--commit")
    assert code == 1
    assert report["status"] == "invalid"
    assert report["committed"] is False
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(5, "received_date")]
    assert not Clue.objects.exists()
    assert not ClueImportBatch.objects.exists()


def test_a_pdf_renamed_to_xlsx_is_rejected_with_exit_2(letter, tmp_path):
    code, report = run(_file(tmp_path, "fake.xlsx", PDF), "--letter", letter.doc_number, "--commit")
    assert code == 2
    assert report["status"] == "rejected"
    assert report["errors"][0]["row"] == 0
    assert report["errors"][0]["column"] == ""
    assert not StoredFile.objects.exists()


def test_an_unknown_letter_is_rejected(letter, tmp_path):
    code, report = run(_file(tmp_path, "ok.xlsx", workbook(good_rows(1)).getvalue()), "--letter", "不存在〔2017〕99号")
    assert code == 2
    assert "不存在〔2017〕99号" in report["errors"][0]["message"]


def test_an_empty_table_is_a_nil_return(letter, tmp_path):
    code, report = run(_file(tmp_path, "nil.xlsx", workbook([]).getvalue()), "--letter", letter.doc_number)
    assert code == 0
    assert report["nil_return"] is True
    assert report["data_rows"] == 0


def test_a_gb18030_csv_is_read(letter, tmp_path):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["被巡察单位", "被反映人姓名", "问题类别", "反映的主要问题", "线索来源", "收到(发现)时间"])
    writer.writerow(["被巡察单位A", "张三", "廉洁纪律", "反映其违规收受礼金礼卡，情节较重。", "信访举报", "2017.7.3"])
    path = _file(tmp_path, "线索.csv", buffer.getvalue().encode("gb18030"))
    code, report = run(path, "--letter", letter.doc_number)
    assert (code, report["data_rows"]) == (0, 1)
