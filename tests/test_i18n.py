"""The zh_Hans catalogue is complete and right in context: every source string of the project has
a Chinese translation, words with several Chinese meanings carry a message context and translate
as the glossary (locale/zh_Hans/glossary.tsv) says, Chinese text uses full-width punctuation, no
text reaches a page without passing through the catalogue, and the compiled .mo matches the .po."""

import ast
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import UniqueConstraint
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
GLOSSARY = ROOT / "locale" / "zh_Hans" / "glossary.tsv"
GETTEXT_HINT = "gettext is needed for this check: apt-get install -y gettext"
PROJECT_APPS = ("core", "inspection", "clues", "talentpool", "liaison", "reports")
CJK = "\u3400-\u9fff"


@dataclass(frozen=True)
class Entry:
    context: str
    msgid: str
    msgstrs: tuple[str, ...]
    fuzzy: bool


def _entries(text: str) -> list[Entry]:
    """Every entry of a .po text but the header."""
    entries = []
    for block in text.split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        fields: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = [match.group(2)]
            elif line.startswith('"') and key:
                fields[key].append(line[1:-1])
        if "msgid" not in fields or "".join(fields["msgid"]) == "":
            continue
        msgstrs = tuple("".join(v) for k, v in fields.items() if k.startswith("msgstr"))
        entries.append(Entry("".join(fields.get("msgctxt", [])), "".join(fields["msgid"]), msgstrs, fuzzy))
    return entries


def _catalogue() -> dict[tuple[str, str], Entry]:
    return {(e.context, e.msgid): e for e in _entries(PO.read_text(encoding="utf-8"))}


def _glossary(kind: str) -> list[tuple[str, str, str]]:
    """(context, English, Chinese) of every row of one kind."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            row_kind, context, english, chinese, _why = line.split("\t")
            if row_kind == kind:
                rows.append((context, english, chinese))
    return rows


# -- completeness -----------------------------------------------------------------------------


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    entries = _catalogue().values()
    assert len(entries) > 200
    untranslated = [(e.context, e.msgid) for e in entries if e.fuzzy or not all(e.msgstrs)]
    assert untranslated == []


def test_the_catalogue_covers_every_source_string(tmp_path):
    if not shutil.which("xgettext"):
        pytest.fail(GETTEXT_HINT)
    # Extract into a copy of the locale folder so the committed catalogue is untouched.
    work = tmp_path / "project"
    shutil.copytree(
        ROOT, work, ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "node_modules", "__pycache__")
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--ignore=.venv", "--ignore=var"],
        cwd=work, check=True, capture_output=True, env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    extracted = {(e.context, e.msgid) for e in _entries((work / PO.relative_to(ROOT)).read_text(encoding="utf-8"))}
    assert sorted(extracted - set(_catalogue())) == []


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    if not shutil.which("msgfmt"):
        pytest.fail(GETTEXT_HINT)
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    assert fresh.read_bytes() == MO.read_bytes(), "run: make messages"


# -- right in context -------------------------------------------------------------------------


def test_glossary_terms_translate_as_the_glossary_says():
    catalogue = _catalogue()
    wrong = []
    for context, english, chinese in _glossary("term"):
        entry = catalogue.get((context, english))
        if entry is None:
            wrong.append((context, english, "not in the catalogue"))
        elif entry.msgstrs != (chinese,):
            wrong.append((context, english, f"{entry.msgstrs} instead of {chinese!r}"))
    assert wrong == []


def test_a_word_with_several_meanings_is_pinned_in_every_context():
    """A msgid the catalogue holds under several contexts is one word with several meanings: each
    of its uses must be decided in the glossary, and the glossary must give the different meanings
    different Chinese (two contexts translated alike are a context nobody needed)."""
    decided = {(context, english) for context, english, _ in _glossary("term")}
    contexts: dict[str, set[str]] = defaultdict(set)
    for context, msgid in _catalogue():
        contexts[msgid].add(context)
    undecided = sorted(
        (context, msgid)
        for msgid, used in contexts.items()
        if len(used) > 1
        for context in used
        if (context, msgid) not in decided
    )
    assert undecided == [], "add these to locale/zh_Hans/glossary.tsv"


def test_a_word_the_glossary_translates_differently_has_no_undecided_context():
    """Where the glossary gives one English word different Chinese, a new use of the word without
    a glossary row (a new context, or the bare word where only contexts are listed) fails."""
    meanings: dict[str, set[str]] = defaultdict(set)
    decided = set()
    for context, english, chinese in _glossary("term"):
        meanings[english].add(chinese)
        decided.add((context, english))
    ambiguous = {english for english, chinese in meanings.items() if len(chinese) > 1}
    undecided = sorted(key for key in _catalogue() if key[1] in ambiguous and key not in decided)
    assert undecided == []


def test_reserved_chinese_terms_only_translate_their_english():
    misused = [
        (e.msgid, e.msgstrs)
        for _, stem, chinese in _glossary("reserved")
        for e in _catalogue().values()
        if any(chinese in s for s in e.msgstrs) and stem not in e.msgid.lower()
    ]
    assert misused == []


def test_the_glossary_checks_catch_a_wrong_translation(tmp_path, monkeypatch):
    """The checks above read the real files; prove they fail on a catalogue that is wrong."""
    wrong = PO.read_text(encoding="utf-8").replace(
        'msgctxt "letter status"\nmsgid "Viewed"\nmsgstr "已查看"',
        'msgctxt "letter status"\nmsgid "Viewed"\nmsgstr "查看"',
    )
    assert wrong != PO.read_text(encoding="utf-8")
    fake = tmp_path / "django.po"
    fake.write_text(wrong, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PO", fake)
    with pytest.raises(AssertionError):
        test_glossary_terms_translate_as_the_glossary_says()


PUNCTUATION = re.compile(rf"[{CJK}][,:;!?(]|[,:;!?)][{CJK}]|\([{CJK}]")


def test_chinese_text_uses_full_width_punctuation():
    half_width = [
        (e.msgid, s)
        for e in _catalogue().values()
        for s in e.msgstrs
        if PUNCTUATION.search(re.sub(r"%\(\w+\)s", "X", s))
    ]
    assert half_width == []


# -- nothing reaches a page untranslated ------------------------------------------------------

TEXT_ATTRIBUTES = re.compile(r'\b(title|placeholder|alt|aria-label|data-label|data-confirm)="([^"]*)"')
SKIPPED_BLOCKS = {"blocktranslate", "blocktrans", "comment", "verbatim"}


def _templates() -> list[Path]:
    return [
        path
        for folder in [ROOT / "templates", *(ROOT / app / "templates" for app in PROJECT_APPS)]
        for path in folder.rglob("*.html")
    ]


def _untranslated_text(source: str) -> list[str]:
    """Words in a template's markup that do not come from a tag, a variable or a translation."""
    parts: list[str] = []
    depth = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = (token.contents.split() or [""])[0]
            if name in SKIPPED_BLOCKS:
                depth += 1
            elif name.startswith("end") and name[3:] in SKIPPED_BLOCKS:
                depth -= 1
            parts.append("\0")
        elif token.token_type == TokenType.TEXT and depth == 0:
            parts.append(token.contents)
        elif token.token_type == TokenType.VAR:
            parts.append("\0")
    page = re.sub(r"<script.*?</script>|<style.*?</style>", "\0", "".join(parts), flags=re.S)
    found = [m.group(0) for m in TEXT_ATTRIBUTES.finditer(page) if re.search(rf"[A-Za-z{CJK}]", m.group(2))]
    body = re.sub(r"<[^>]*>", " ", page).replace("\0", " ")
    found += [w for w in re.findall(rf"\S*[A-Za-z{CJK}]\S*", body) if not re.fullmatch(r"&[a-z]+;", w)]
    return found


def test_templates_show_no_text_outside_the_catalogue():
    leaks = {
        str(path.relative_to(ROOT)): words for path in _templates() if (words := _untranslated_text(path.read_text()))
    }
    assert leaks == {}


def test_the_template_check_finds_untranslated_text():
    source = '{% load i18n %}<p title="Hint">Hello 你好 {{ x }}</p>{% blocktranslate %}ok{% endblocktranslate %}'
    assert _untranslated_text(source) == ['title="Hint"', "Hello", "你好"]
    assert _untranslated_text('{% load i18n %}<p title="{% translate "x" %}">{% translate "y" %}</p>') == []


FORM_TAG = re.compile(r"<form\b.*?>", re.S)


def _forms_left_to_the_browser(source: str) -> list[str]:
    """The POST forms whose errors the browser would word (in its own language): neither novalidate
    nor data-confirm (whose no-JavaScript tick is the browser's to ask; static/js/ui.js sets
    noValidate on it once the dialog takes over)."""
    return [
        " ".join(tag.split())
        for tag in FORM_TAG.findall(source)
        if 'method="post"' in tag and "novalidate" not in tag and "data-confirm" not in tag
    ]


def test_post_forms_leave_their_messages_to_the_app():
    """/rounds/new/ showed the browser's bubble (English in an English browser) for a required field,
    where the app's own message, in Chinese, says the same on the page."""
    left = {
        str(path.relative_to(ROOT)): forms
        for path in _templates()
        if (forms := _forms_left_to_the_browser(path.read_text()))
    }
    assert left == {}


def test_the_form_check_finds_a_post_form_left_to_the_browser():
    source = '<form method="post"\n action="/a/">x</form><form method="post" novalidate><form method="get">'
    assert _forms_left_to_the_browser(source) == ['<form method="post" action="/a/">']
    assert _forms_left_to_the_browser('<form method="post" data-confirm>') == []


def _half_width_joints(source: str) -> list[str]:
    """ASCII colons and brackets that join translated words or values in a template's markup:
    they would sit inside Chinese text, where the catalogue's full-width ones belong."""
    tokens = Lexer(source).tokenize()
    found = []
    depth = 0
    for before, token, after in zip([None, *tokens[:-1]], tokens, [*tokens[1:], None], strict=True):
        name = (token.contents.split() or [""])[0] if token.token_type == TokenType.BLOCK else ""
        depth += (name in SKIPPED_BLOCKS) - (name.startswith("end") and name[3:] in SKIPPED_BLOCKS)
        if token.token_type != TokenType.TEXT or depth:
            continue
        joins_previous = before is not None and (
            before.token_type == TokenType.VAR or before.contents.startswith("translate")
        )
        joins_next = after is not None and (after.token_type == TokenType.VAR or after.contents.startswith("translate"))
        if joins_previous and re.match(r"[:;]", token.contents):
            found.append(token.contents[:10])
        if joins_next and re.search(r"\($", token.contents):
            found.append(token.contents[-10:])
    return found


def test_templates_join_text_with_full_width_punctuation():
    joints = {str(path.relative_to(ROOT)): j for path in _templates() if (j := _half_width_joints(path.read_text()))}
    assert joints == {}
    assert _half_width_joints('{% load i18n %}{% translate "Status" %}: {{ x }} ({{ y }})') == [": ", " ("]


USER_FACING_CALLS = {"success", "error", "warning", "info", "ValidationError", "PermissionDenied", "Http404"}
USER_FACING_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "placeholder"}
LOGGERS = {"logger", "log", "logging"}


def _text(node: ast.AST) -> str | None:
    """The node's text if it is a plain string literal with words in it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(rf"[A-Za-z{CJK}]{{2}}", node.value):
        return node.value
    return None


def _literal_user_strings(source: str) -> list[tuple[int, str]]:
    """Plain string literals handed to messages, errors, or field labels (not through gettext)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = func.value if isinstance(func, ast.Attribute) else None
        if isinstance(owner, ast.Name) and owner.id in LOGGERS:
            continue
        arguments = node.args[1:] if name == "add_error" else node.args if name in USER_FACING_CALLS else []
        values = [*arguments, *(k.value for k in node.keywords if k.arg in USER_FACING_KEYWORDS)]
        found += [(node.lineno, text) for text in map(_text, values) if text is not None]
    return found


def test_python_gives_users_only_translated_strings():
    leaks = {
        f"{path.relative_to(ROOT)}:{line}": text
        for app in PROJECT_APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for line, text in _literal_user_strings(path.read_text())
    }
    assert leaks == {}


def test_the_python_check_finds_a_literal_message():
    source = 'messages.success(request, "Saved.")\nlogger.warning("not for users")\nforms.CharField(label=_("ok"))\nforms.CharField(help_text="Raw")\n'
    assert _literal_user_strings(source) == [(1, "Saved."), (4, "Raw")]


def test_every_constraint_a_form_can_hit_explains_itself():
    """Model validation (a ModelForm, the admin, a service's full_clean) shows a constraint's
    violation_error_message, whose default names the constraint ("约束 “round_exit_after_entry”
    是无效的"). A unique constraint on plain fields has Django's own message naming the fields;
    every other constraint says in words what is wrong."""
    silent = [
        f"{model._meta.label}.{constraint.name}"
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for constraint in model._meta.constraints
        if not (isinstance(constraint, UniqueConstraint) and constraint.fields and constraint.condition is None)
        and constraint.violation_error_message == constraint.default_violation_error_message
    ]
    assert silent == []


# -- status labels come from the models -------------------------------------------------------


def _status_labels() -> set[str]:
    """The English of every status choice of the project's models."""
    labels = set()
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            for field in model._meta.get_fields():
                if field.name == "status" and getattr(field, "choices", None):
                    labels |= {getattr(label, "_args", (str(label),))[-1] for _, label in field.flatchoices}
    return labels


def test_templates_never_retype_a_status_label():
    """A status is shown with get_status_display or {% choice_label %}; the same English in a
    template needs a context saying what it labels there (a time, a count, an action)."""
    labels = _status_labels()
    assert {"Received", "Sent", "Accepted"} <= labels
    plain = re.compile(r"\{% translate ([\"'])(.+?)\1 %\}")
    retyped = [
        f"{path.relative_to(ROOT)}: {m.group(2)}"
        for path in _templates()
        for m in plain.finditer(path.read_text())
        if m.group(2) in labels
    ]
    assert retyped == []
