"""The load test's simulated users (scripts/loadtest, `make loadtest`; never collected by pytest).

Five kinds of demo account, each logging in once through the real login form, then reading the
pages its role uses and now and then acting:

- office head: dashboard, deadline board, letters; approves supplementary letters awaiting approval
  (tests/load/prepare.py made them), sometimes with a double click;
- office staff: workbench, letters and a letter, deadline board, dashboard, search, inbox;
- partner user: workbench, its letters and a letter (opening one marks it viewed), inbox;
- group leader: workbench, clue registry and a clue, inspection rounds, search;
- liaison officer: its unit, the contact log; logs a contact with a unique subject.

The figures cover LOADTEST_SECONDS from the moment every user has logged in (the logins, each
a PBKDF2 hash, are reported apart). Every action that succeeded is appended to a ledger under LOADTEST_OUT (approved.jsonl,
contacts.jsonl) for tests/load/check.py, which checks that each landed exactly once.
A response that is not 2xx/3xx, or that lands on the login page, counts as an error.
"""

import json
import math
import os
import random
import re
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "Xuncha-demo-2017")  # demo.data.DEMO_PASSWORD
OUT = Path(os.environ.get("LOADTEST_OUT", "var/loadtest"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SHANGHAI = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE
SEARCH_TERMS = ["住建", "刘", "审计", "线索", "示巡办函", "整改"]

# Letters awaiting approval; heads take them one at a time (gevent: one thread, pop is atomic).
_pending: list[int] = []
# Every request of the measured window: (name, milliseconds, succeeded), for _summarise; the
# logins, made before the window opens, apart.
_requests: list[tuple[str, float, bool]] = []
_logins: list[tuple[str, float, bool]] = []
_started: list[float] = []
_settled: list[int] = [0]  # users that have logged in (or given up)
LOGIN_NAMES = ("login form", "login")
WINDOW_SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))


@events.test_start.add_listener
def _load_pending(environment: Any, **kwargs: Any) -> None:
    path = OUT / "pending.json"
    approved = {row["letter"] for row in _read_ledger("approved")}  # by an earlier run on the same data
    _pending[:] = [pk for pk in json.loads(path.read_text(encoding="utf-8")) if pk not in approved]
    random.shuffle(_pending)
    _requests.clear()
    _logins.clear()
    _started.clear()
    _settled[0] = 0


def _settle(environment: Any) -> None:
    """One more user is logged in: once all are, the measured window opens for WINDOW_SECONDS.

    Each login costs a PBKDF2 hash (about a second of CPU here): a hundred users logging in at
    once would fill the window with logins; they are measured apart instead."""
    _settled[0] += 1
    if _settled[0] == environment.parsed_options.num_users:
        _logins[:] = [r for r in _requests if r[0] in LOGIN_NAMES]
        _requests.clear()
        _started[:] = [time.monotonic()]
        environment.stats.reset_all()
        gevent.spawn_later(WINDOW_SECONDS, environment.runner.quit)


@events.request.add_listener
def _record(name: str, response_time: float, exception: Exception | None, **kwargs: Any) -> None:
    _requests.append((name, response_time, exception is None))


def _row(times: list[tuple[str, float, bool]], seconds: float) -> dict[str, float]:
    ms = sorted(t for _name, t, _ok in times)

    def percentile(p: float) -> float:  # nearest rank
        return round(ms[max(0, math.ceil(p * len(ms)) - 1)]) if ms else 0

    return {
        "requests": len(ms),
        "errors": sum(not ok for _name, _t, ok in times),
        "rps": round(len(ms) / seconds, 1),
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "max": round(ms[-1]) if ms else 0,
    }


@events.test_stop.add_listener
def _summarise(environment: Any, **kwargs: Any) -> None:
    """OUT/summary-<users>.json: the measured window's requests, and the logins before it."""
    if not _started:  # not every user logged in before locust's --run-time cap: all of it, logins too
        _logins[:] = [r for r in _requests if r[0] in LOGIN_NAMES]
        _started.append(time.monotonic() - environment.parsed_options.run_time)
    seconds = time.monotonic() - _started[0]
    summary = {
        "users": environment.parsed_options.num_users,
        "seconds": round(seconds, 1),
        "window": _row(_requests, seconds),
        "logins": _row([r for r in _logins if r[0] == "login"], seconds),
        "login_errors": sum(not ok for _name, _t, ok in _logins),
    }
    (OUT / f"summary-{summary['users']}.json").write_text(json.dumps(summary), encoding="utf-8")


def _read_ledger(name: str) -> list[dict[str, Any]]:
    path = OUT / f"{name}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ledger(name: str, **fields: Any) -> None:
    with (OUT / f"{name}.jsonl").open("a", encoding="utf-8") as ledger:
        ledger.write(json.dumps(fields, ensure_ascii=False) + "\n")


def _ids(html: str, prefix: str) -> list[int]:
    return [int(n) for n in re.findall(rf'href="{re.escape(prefix)}(\d+)/"', html)]


class DemoUser(HttpUser):
    abstract = True
    username = ""
    token = form_page = ""  # the last form page and its CSRF token
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        try:
            self.log_in()
            self.arrive()
        finally:
            _settle(self.environment)

    def arrive(self) -> None:
        """What the user looks up once, after logging in."""

    def log_in(self) -> None:
        """Log in through the login form, as a browser does: GET for the CSRF token, then POST."""
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text)
        if token is None:
            raise StopUser
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"login as {self.username} refused")
                raise StopUser
            response.success()

    def page(self, url: str, name: str | None = None) -> str:
        """GET a page that must render for this user (not the login form, not an error)."""
        with self.client.get(url, name=name or url, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code} for {self.username}")
            elif "/accounts/login/" in response.url:
                response.failure(f"{self.username} sent to the login page")
            else:
                response.success()
            return response.text or ""

    def post(self, url: str, data: dict[str, str], *, form_page: str, name: str, expect: str = "") -> Any:
        """POST with the CSRF token of the form's page (none: the last page's again, a double
        click), following the redirect like a browser; the page it ends on must contain `expect`."""
        if form_page:
            token = CSRF.search(self.page(form_page, name=f"{name} (form)"))
            if token is None:
                return None
            self.token, self.form_page = token.group(1), form_page
        with self.client.post(
            url,
            data={**data, "csrfmiddlewaretoken": self.token},
            headers={"Referer": f"{self.host}{self.form_page}"},  # a refusal goes back there
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code >= 400 or "/accounts/login/" in response.url:
                response.failure(f"{response.status_code} at {response.url} for {self.username}")
            elif expect not in response.text:
                response.failure(f"{expect!r} not on the page {response.url} after {name}")
            else:
                response.success()
            return response

    def letter(self) -> None:
        ids = _ids(self.page("/letters/"), "/letters/")
        if ids:
            self.page(f"/letters/{random.choice(ids)}/", name="/letters/[id]/")


class OfficeHead(DemoUser):
    weight = 1
    username = "office_head"

    @task(2)
    def dashboard(self) -> None:
        self.page("/dashboard/")

    @task(2)
    def deadlines(self) -> None:
        self.page("/deadlines/")

    @task(2)
    def letters(self) -> None:
        self.letter()

    @task(4)
    def approve(self) -> None:
        if not _pending:
            return
        pk = _pending.pop()
        detail = f"/letters/{pk}/"
        response = self.post(
            f"/letters/{pk}/approve/", {}, form_page=detail, name="approve letter", expect="已审批并发出"
        )
        if response is None or not response.ok:
            return
        double = random.random() < 0.1
        if double:  # a double click, with the same page's token: refused, nothing done twice
            self.post(
                f"/letters/{pk}/approve/",
                {},
                form_page="",
                name="approve letter (double click)",
                expect="不在待审批状态",
            )
        _ledger("approved", letter=pk, double_click=double)


class OfficeStaff(DemoUser):
    weight = 3
    username = "office_staff"

    @task(2)
    def home(self) -> None:
        self.page("/")

    @task(3)
    def letters(self) -> None:
        self.letter()

    @task(2)
    def deadlines(self) -> None:
        self.page("/deadlines/")

    @task(2)
    def dashboard(self) -> None:
        self.page("/dashboard/")

    @task(2)
    def search(self) -> None:
        self.page(f"/search/?q={random.choice(SEARCH_TERMS)}", name="/search/?q=[term]")

    @task(1)
    def inbox(self) -> None:
        self.page("/inbox/")


class PartnerUser(DemoUser):
    weight = 2
    username = "partner_user"

    @task(2)
    def home(self) -> None:
        self.page("/")

    @task(4)
    def letters(self) -> None:
        self.letter()  # the first opening of a sent letter marks it viewed

    @task(1)
    def inbox(self) -> None:
        self.page("/inbox/")


class GroupLeader(DemoUser):
    weight = 2
    username = "group_leader"

    @task(2)
    def home(self) -> None:
        self.page("/")

    @task(4)
    def clues(self) -> None:
        ids = _ids(self.page("/clues/"), "/clues/")
        if ids:
            self.page(f"/clues/{random.choice(ids)}/", name="/clues/[id]/")

    @task(2)
    def rounds(self) -> None:
        self.page("/rounds/")

    @task(1)
    def search(self) -> None:
        self.page(f"/search/?q={random.choice(SEARCH_TERMS)}", name="/search/?q=[term]")


class LiaisonOfficer(DemoUser):
    weight = 2
    username = "liaison_officer"
    unit = ""

    def arrive(self) -> None:
        with self.client.get("/liaison/my-unit/", name="/liaison/my-unit/", catch_response=True) as response:
            found = re.search(r"/liaison/units/(\d+)/", response.url)
            if found is None:
                response.failure("the liaison officer has no unit")
                raise StopUser
            response.success()
            self.unit = f"/liaison/units/{found.group(1)}/"

    @task(2)
    def my_unit(self) -> None:
        self.page(self.unit, name="/liaison/units/[id]/")

    @task(2)
    def contact_log(self) -> None:
        self.page(f"{self.unit}contact/", name="/liaison/units/[id]/contact/")

    @task(2)
    def log_contact(self) -> None:
        token = uuid.uuid4().hex
        form = f"{self.unit}contact/"
        # Now (the log lists the newest first): the redirect's page shows the new entry.
        at = datetime.now(SHANGHAI).strftime("%Y-%m-%dT%H:%M:%S")
        response = self.post(
            form,
            {"at": at, "channel": "phone", "subject": f"压测联络 {token}", "follow_up": ""},
            form_page=form,
            name="log contact",
            expect=token,
        )
        if response is not None and response.ok and token in response.text:
            _ledger("contacts", token=token)
