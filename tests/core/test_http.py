"""core.http: a refused action goes back to the page the user came from, else to the app's fallback."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from core.http import form_errors, form_errors_to_messages, service_errors_to_messages

pytestmark = pytest.mark.django_db


def _refused(request):
    raise ValidationError("已被他人处理。")


def _post(**extra):
    request = RequestFactory().post("/anything/", **extra)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_without_a_safe_referrer_a_refused_action_lands_on_the_workbench_not_the_letter_list():
    request = _post(HTTP_REFERER="https://evil.example/")
    response = service_errors_to_messages(_refused)(request)
    assert response.url == reverse("core:home")
    assert [str(m) for m in get_messages(request)] == ["已被他人处理。"]


def test_an_app_names_its_own_fallback_and_a_safe_referrer_wins():
    to_letters = service_errors_to_messages(fallback="clues:letter-list")(_refused)
    assert to_letters(_post()).url == reverse("clues:letter-list")
    assert to_letters(_post(HTTP_REFERER="http://testserver/rounds/1/")).url == "http://testserver/rounds/1/"


def test_a_forms_errors_become_one_message_each():
    class Dated(forms.Form):
        day = forms.DateField(error_messages={"required": "请填写日期。"})
        note = forms.CharField(error_messages={"required": "请填写说明。"})

    request = _post()
    form_errors_to_messages(request, Dated(data={}))
    assert [str(m) for m in get_messages(request)] == ["请填写日期。", "请填写说明。"]
    assert form_errors(Dated(data={"note": "x"})).messages == ["请填写日期。"]
