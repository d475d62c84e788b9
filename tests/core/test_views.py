"""Pages of the core app: home, inbox, status, health; Chinese by default; constant query counts."""

import threading

import pytest
from django.conf import settings
from django.http import HttpResponseServerError
from django.test import Client, RequestFactory
from django.urls import reverse

from core.middleware import product_error_pages
from core.models import Notification
from core.services.health import check_broker
from core.services.notifications import notify
from core.wording import office_name
from tests.conftest import assert_matrix, role_keys
from tests.helpers import logged_in, page_queries


def test_the_home_page_is_in_chinese_with_the_navigation_of_the_role(world):
    body = logged_in(world.users["office_staff"]).get("/").content.decode()
    assert '<html lang="zh-hans">' in body
    assert "工作台" in body
    assert "巡察轮次" in body
    assert "系统状态" in body


def test_a_partner_user_sees_no_round_or_status_navigation(world):
    body = logged_in(world.users["partner_x"]).get("/").content.decode()
    assert "工作台" in body
    assert reverse("inspection:round-list") not in body
    assert reverse("core:health") not in body


def test_anonymous_users_are_sent_to_the_login_page_in_chinese(db):
    response = Client().get("/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "登录" in response.content.decode()


def test_the_status_page_is_for_office_staff_only(world):
    assert_matrix(world, reverse("core:health"), role_keys("office_head", "office_staff"))


def test_the_status_page_reports_missing_heartbeats_and_a_working_database(world):
    body = logged_in(world.users["office_staff"]).get(reverse("core:health")).content.decode()
    assert "数据库" in body
    assert "尚无心跳" in body


def test_healthz_answers_without_login(db):
    response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_inbox_shows_unread_count_and_marks_read(world):
    user = world.users["member_a"]
    notify(recipients=[user], title="请及时处理")
    notify(recipients=[world.users["member_b"]], title="别人的通知")
    client = logged_in(user)
    body = client.get(reverse("core:inbox")).content.decode()
    assert "请及时处理" in body
    assert "别人的通知" not in body
    assert client.get("/").context["unread_count"] == 1
    client.post(reverse("core:inbox-mark-read"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.users["member_b"], read_at__isnull=True).count() == 1


def test_marking_read_needs_post(world):
    assert logged_in(world.users["member_a"]).get(reverse("core:inbox-mark-read")).status_code == 405


@pytest.mark.parametrize("url_name", ["core:home", "core:inbox"])
def test_pages_keep_a_constant_query_count_as_notifications_grow(world, url_name):
    user = world.users["office_staff"]
    client = logged_in(user)
    url = reverse(url_name)
    # Past one inbox page (20) from the start: a lone page counts its rows without a query.
    for _ in range(22):
        notify(recipients=[user], title="通知")
    few = page_queries(client, url)
    for _ in range(30):
        notify(recipients=[user], title="通知")
    many = page_queries(client, url)
    assert few == many


def test_the_broker_check_asks_the_projects_celery_app_in_any_thread(db):
    """core reaches the app as celery's current app (core imports no config): in a request thread
    too it is the configured broker, not celery's unconfigured default."""
    checks = []
    thread = threading.Thread(target=lambda: checks.append(check_broker()))
    thread.start()
    thread.join()
    (check,) = checks
    assert check.ok, check.detail
    assert check.detail == settings.CELERY_BROKER_URL.split("@")[-1]


def test_the_login_page_names_the_system_and_the_office_and_warns_of_confidentiality(db):
    body = Client().get("/accounts/login/").content.decode()
    assert "巡察协同平台" in body
    assert office_name() in body
    assert "保密提示" in body
    assert "所有访问均被记录" in body


@pytest.mark.parametrize("technical", [False, True])
def test_development_shows_the_chinese_404_page_unless_asked_for_djangos(world, settings, technical):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = technical
    client = logged_in(world.users["office_head"])
    for url in ("/no-such-page/", reverse("clues:clue-detail", args=[999_999])):
        response = client.get(url)
        assert response.status_code == 404
        body = response.content.decode()
        assert ("页面不存在" in body) is not technical
        assert ("Using the URLconf" in body or "Page not found" in body) is technical


def test_development_shows_the_chinese_500_page_for_a_crash(db, settings):
    settings.DEBUG = True
    crash = product_error_pages(lambda request: HttpResponseServerError("Traceback (most recent call last)"))
    response = crash(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    assert "系统出现错误" in response.content.decode()
