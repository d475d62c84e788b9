"""Security headers: a strict Content-Security-Policy on every page, and no-store on everything a
logged-in user is shown (pages and downloads), but not on static files."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import make_user

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff_client(db):
    client = Client()
    client.force_login(make_user("clerk", "office_staff"))
    return client


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_every_page_carries_a_strict_content_security_policy(staff_client):
    for response in (staff_client.get("/"), Client().get("/accounts/login/")):
        directives = _directives(response)
        assert directives["default-src"] == "default-src 'self'"
        assert directives["script-src"] == "script-src 'self'"
        assert directives["object-src"] == "object-src 'none'"
        assert directives["frame-ancestors"] == "frame-ancestors 'none'"
        assert directives["base-uri"] == "base-uri 'self'"
        assert directives["form-action"] == "form-action 'self'"
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_a_page_for_a_logged_in_user_is_not_stored(staff_client):
    response = staff_client.get("/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_a_download_is_not_stored(staff_client):
    response = staff_client.get("/letters/export.xlsx")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_static_files_keep_their_cache_headers(staff_client, settings):
    # WhiteNoise answers static files before any of our middleware sees them.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.cookies = staff_client.cookies
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response


def test_the_error_pages_inline_style_is_the_one_the_policy_allows():
    # templates/500.html renders without static files, so it keeps one inline <style>.
    template = (PROJECT_ROOT / "templates" / "500.html").read_text()
    style = re.search(r"<style>(.*?)</style>", template, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE_HASH


def _templates() -> list[Path]:
    skip = {PROJECT_ROOT / ".venv", PROJECT_ROOT / "var"}
    return [p for p in PROJECT_ROOT.rglob("*.html") if not any(s in p.parents for s in skip)]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"<style", re.I), "<style> block"),
]


def test_no_template_has_inline_script_or_style():
    found = []
    for path in _templates():
        text = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", path.read_text(), flags=re.S)
        for pattern, what in INLINE:
            if pattern.search(text) and not (what == "<style> block" and path.name == "500.html"):
                found.append(f"{path.relative_to(PROJECT_ROOT)}: {what}")
    assert _templates(), "no templates found"
    assert not found, "\n".join(found)
