"""The clue search (issue 16 item 2): two-character names, abbreviations, matters, codes, mixed text
and several terms are found on SQLite and PostgreSQL alike; a person named exactly the query ranks
first; edits and imports are found at once; the reporter never is; the permission filter holds.

On PostgreSQL the same answers come from the GIN index (core.textsearch, clues.models.search):
the tests at the end check that the query uses it and that the index never drops a row the
substring test keeps."""

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from clues.models import Clue
from clues.selectors.registry import ClueFilters, clue_registry, text_search
from clues.services import importing, replies
from core.bulk import insert_values
from core.textsearch import holds, index_terms, search_terms
from reports.selectors.search import search
from tests.clues.lifecycle import handed, register
from tests.clues.test_replies import good_rows, workbook
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")


def person(name: str, position: str = "科长") -> dict:
    return {"name": name, "position": position}


def found(world, q: str, user: str = "office_head") -> list[str]:
    """The registry's codes for q, in the registry's order."""
    return list(clue_registry(world.users[user], ClueFilters(q=q)).values_list("code", flat=True))


def found_pk(world, q: str) -> int:
    return clue_registry(world.users["office_head"], ClueFilters(q=q)).values_list("pk", flat=True).get()


@pytest.fixture
def people(world):
    """Clues naming 王伟明, 李伟, 王伟 (in that order of registration) and one naming no one of them."""
    return {
        "王伟明": register(
            world, reported_persons=[person("王伟明", "区财政局副局长")], allegation_summary="反映其违规兼职取酬"
        ),
        "李伟": register(world, reported_persons=[person("李伟", "区发改委主任")], allegation_summary="反映其公车私用"),
        "王伟": register(
            world,
            reported_persons=[person("王伟", "街道办事处主任")],
            allegation_summary="反映其长期不在岗",
            source_ref="信访件A2017-15号",
        ),
        "other": register(world, reported_persons=[person("赵刚")], allegation_summary="反映其违规发放津补贴"),
    }


def test_a_two_character_name_finds_itself_and_longer_names_not_other_given_names(world, people):
    codes = found(world, "王伟")
    assert set(codes) == {people["王伟"].code, people["王伟明"].code}
    assert codes[0] == people["王伟"].code  # the exact name first, although registered last
    assert found(world, "李伟") == [people["李伟"].code]
    assert found(world, "王伟明") == [people["王伟明"].code]


def test_abbreviations_positions_matters_codes_and_references_are_found(world, people):
    assert found(world, "发改委") == [people["李伟"].code]  # a unit's abbreviation in a position
    assert found(world, "财政局") == [people["王伟明"].code]
    assert found(world, "公车") == [people["李伟"].code]  # part of a matter
    assert found(world, "津补贴") == [people["other"].code]
    code = people["other"].code
    assert found(world, code) == [code]  # a whole code
    assert found(world, code[-4:]) == [c.code for c in Clue.objects.filter(code__endswith=code[-4:])]
    assert found(world, code.lower()) == [code]  # ASCII in any case


def test_mixed_ascii_and_chinese_and_punctuation_inside_a_term(world, people):
    expected = [people["王伟"].code]
    for q in ("A2017", "a2017-15", "2017-15号", "信访件A2017", "件A"):
        assert found(world, q) == expected, q
    assert found(world, "A2018") == []


def test_wildcards_quotes_and_backslashes_are_plain_characters(world, people):
    odd = register(world, reported_persons=[person('王"小\\二', "持股50%_A")])
    for q in ("50%", "%_a", '王"小', "小\\二"):
        assert found(world, q) == [odd.code], q
    assert found(world, "5%") == []


def test_several_terms_separated_by_spaces_or_punctuation_must_all_be_found(world, people):
    for q in ("王伟 财政局", "王伟，财政局", " 财政局、王伟 ", "王伟;财政局"):
        assert found(world, q) == [people["王伟明"].code], q
    assert found(world, "王伟 发改委") == []  # each is found, but not in one clue


def test_three_characters_found_apart_are_not_a_match(world, people):
    # 王伟 and 伟明 both occur in this clue, never as 王伟明: the index's candidate is checked.
    apart = register(world, reported_persons=[person("王伟"), person("刘伟明")])
    assert apart.code not in found(world, "王伟明")
    assert apart.code in found(world, "王伟")


def test_a_single_character_is_found_too(world, people):
    # No index serves a single character: the substring test alone, a scan (core.textsearch).
    assert set(found(world, "伟")) == {people[name].code for name in ("王伟", "王伟明", "李伟")}
    assert people["王伟"].code in found(world, "-")  # 信访件A2017-15号


def test_an_edit_is_found_at_once_and_the_old_text_no_longer(world, people):
    clue = people["other"]
    Clue.objects.filter(pk=clue.pk).update(allegation_summary="反映其违规收受购物卡")
    assert found(world, "购物卡") == [clue.code]
    assert found(world, "津补贴") == [clue.code]  # still in the allegation
    clue.refresh_from_db()
    clue.reported_persons = [person("孙悦")]
    clue.allegation_detail = "另有隐情"
    clue.save()
    assert found(world, "孙悦") == [clue.code]
    assert found(world, "赵刚") == found(world, "津补贴") == []


def test_a_bulk_insert_and_an_imported_workbook_are_found(world, sent):
    partner = world.users["partner_x"]
    batch = replies.upload_workbook(letter=sent["x"], by=partner, upload=workbook(good_rows(2)), name="a.xlsx")
    assert importing.commit_batch(batch=batch, by=None) == 2
    assert len(found(world, "张三")) == len(found(world, "李四")) == 1
    # core.bulk's COPY path itself, as the bench data and other importers write clues.
    template = Clue.objects.get(pk=found_pk(world, "张三"))
    insert_values(
        Clue,
        ("code", "inspection_round", "inspected_unit", "assigned_group", "source_type", "received_date"),
        [("BULK-0001", world.round.pk, world.unit_a.pk, world.group_a.pk, "petition", template.received_date)],
    )
    Clue.objects.filter(code="BULK-0001").update(reported_persons=[person("周敏")])
    assert found(world, "周敏") == found(world, "bulk-00") == ["BULK-0001"]


def test_the_reporter_is_never_found(world, people):
    register(world, reporter_name="举报人周杰伦", reporter_contact="13912345678")
    for q in ("周杰伦", "举报人", "13912345678", "1391"):
        assert found(world, q) == [], q


def test_a_group_member_finds_only_the_clues_of_their_group(world):
    ours = handed(world, reported_persons=[person("陈晓东")])
    theirs = handed(world, world.unit_b, reported_persons=[person("陈晓东")])
    assert found(world, "陈晓", "member_a") == [ours.code]
    assert found(world, "陈晓", "member_b") == [theirs.code]
    assert set(found(world, "陈晓")) == {ours.code, theirs.code}
    # The registry page and the search page answer the same.
    page = logged_in(world.users["member_a"]).get(reverse("clues:clue-list"), {"q": "陈晓"})
    content = page.content.decode()
    assert ours.code in content
    assert theirs.code not in content
    sections = search(world.users["member_a"], "陈晓")
    assert [hit.title for section in sections if section.kind == "clue" for hit in section.hits] == [ours.code]


def test_the_search_page_ranks_the_exact_name_first(world, people):
    sections = search(world.users["office_head"], "王伟")
    hits = [hit.title for section in sections if section.kind == "clue" for hit in section.hits]
    assert hits == [people["王伟"].code, people["王伟明"].code]


def test_the_registry_page_ranks_the_exact_name_first_ahead_of_its_newest_first_order(world):
    exact = register(world, reported_persons=[person("王伟")], allegation_summary="反映其长期不在岗")
    longer = register(world, reported_persons=[person("王伟明")], allegation_summary="反映其违规兼职取酬")
    content = logged_in(world.users["office_head"]).get(reverse("clues:clue-list"), {"q": "王伟"}).content.decode()
    assert content.index(exact.code) < content.index(longer.code)
    # Without a search the page's own order holds: the newest registered first.
    content = logged_in(world.users["office_head"]).get(reverse("clues:clue-list")).content.decode()
    assert content.index(longer.code) < content.index(exact.code)


def test_query_terms():
    assert search_terms(" 王伟，财政局、 a-1 ") == ["王伟", "财政局", "a-1"]
    assert search_terms("，") == ["，"]
    assert index_terms("王伟") == (["'王伟'"], True)
    assert index_terms("王伟明") == (["'王伟'", "'伟明'"], False)
    assert index_terms("XC01") == (["'xc01':*"], True)
    assert index_terms("XC01-0002") == (["'xc01':*", "'0002':*"], False)
    assert index_terms("王") == ([], False)
    # The substring test folds case only where the term has any: not for Chinese, 50% or 2017-15.
    assert holds("measure", "王伟") == Q(measure__contains="王伟")
    assert holds("code", "2017-15") == Q(code__contains="2017-15")
    assert holds("code", "a2017") == Q(code__icontains="a2017")
    assert holds("code", "Ａ号") == Q(code__icontains="Ａ号")  # a full-width letter has case too


@postgres_only
def test_the_index_never_drops_a_substring(world):
    """Every substring of a mixed text satisfies the index condition of its own terms (PostgreSQL)."""
    text = "王伟明（区财政局）XC01-0000123 信访件A2017-15号 カタカナ 한국어 𠀀𠀁 Café"
    terms = {text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + 8) + 1)}
    terms = {term for term in terms if index_terms(term)[0]}
    with connection.cursor() as cursor:
        for term in sorted(terms):
            cursor.execute("SELECT xc_search_vector(%s) @@ %s::tsquery", [text, " & ".join(index_terms(term)[0])])
            assert cursor.fetchone() == (True,), term


@postgres_only
def test_the_search_uses_the_gin_index_with_the_permission_filter(world, people):
    clues = text_search(Clue.objects.for_user(world.users["member_a"]), "王伟明").order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: the planner would scan them
        plan = clues.explain()
    assert "clue_search_idx" in plan, plan
