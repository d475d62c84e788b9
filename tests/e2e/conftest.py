"""Browser tests: Playwright (sync API) driving Debian's Chromium against live_server.

Never run `playwright install`: the browser is Debian's /usr/bin/chromium (package
chromium). Without it these tests fail with the command that installs it; they are
never skipped.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the main thread, which makes
# Django refuse ORM calls from the test body unless this is set. Only for browser tests
# (pytest_runtest_protocol below): every other test runs with Django's guard on.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = Path("/usr/bin/chromium")
# Headless, as root in CI, on a machine whose network is closed: no sandbox (root), no
# GPU, and none of Chromium's background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = E2E_DIR.parent.parent / "var" / "e2e"
DEFAULT_TIMEOUT_MS = 15_000


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(str(item.path)).resolve().parents


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """Mark every test under tests/e2e as e2e, and run them after all others.

    The markers go on before any other hook selects by mark. The browser tests go last
    because Playwright's sync API leaves an asyncio loop running in the main thread for
    the rest of the session once it has started.
    """
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)
    result = yield
    items[:] = [item for item in items if not _is_e2e(item)] + [item for item in items if _is_e2e(item)]
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[object]:
    """Allow the ORM next to Playwright's loop for a browser test's setup, call and teardown.

    The whole protocol, so that the session fixtures torn down after the last test (which
    is a browser test: they run last) are covered too. This conftest's runtest hooks only
    see the items under tests/e2e.
    """
    if not _is_e2e(item) or ASYNC_UNSAFE in os.environ:
        return (yield)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        return (yield)
    finally:
        del os.environ[ASYNC_UNSAFE]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    """Keep each phase's report on the item, so the page fixture can tell a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. Install Debian's Chromium and CJK fonts:\n"
            "    sudo apt-get install -y chromium fonts-noto-cjk\n"
            "缺少 Chromium，请运行上面的命令安装后重试。",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """var/e2e: screenshots a person can look at after the run."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        # A screenshot of the page as the test left it, for whoever reads the CI log.
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        path = ARTIFACTS_DIR / f"failed-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"\nscreenshot of the failing page: {path}")  # noqa: T201
    context.close()
