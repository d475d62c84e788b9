"""The contact log, and the units whose log has gone quiet, counted in working days."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.workdays import working_days_between
from inspection.models import InspectionRound
from liaison.models import ContactLogEntry, LiaisonOffice
from liaison.services import contact
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _log(world, unit, day: date, key: str = "liaison_a") -> ContactLogEntry:
    return contact.record_entry(
        by=world.users[key], inspected_unit=unit, at=_at(day), channel="phone", subject="调阅材料"
    )


def _open(world) -> None:
    InspectionRound.objects.filter(pk=world.round.pk).update(status=InspectionRound.Status.ONSITE)


def test_the_officer_members_and_office_write_the_log_and_no_one_else(liaison_world):  # noqa: F811 - fixture
    unit = liaison_world.unit_a
    for key in ("liaison_a", "member_a", "leader_a", "office_staff"):
        _log(liaison_world, unit, date(2017, 9, 1), key)
    for key in ("liaison_b", "member_b", "clue_custodian", "partner_x", "outsider"):
        with pytest.raises(ValidationError):
            _log(liaison_world, unit, date(2017, 9, 1), key)
    assert unit.contact_log.count() == 4


def test_quiet_is_counted_in_working_days_across_the_national_day_holiday(liaison_world):  # noqa: F811 - fixture
    _open(liaison_world)
    unit = liaison_world.unit_a
    _log(liaison_world, unit, date(2017, 9, 29))  # Friday before 国庆; Saturday 30th is a make-up workday
    _log(liaison_world, liaison_world.unit_b, date(2017, 10, 12), "liaison_b")

    def quiet(today: date) -> bool:
        return unit in contact.quiet_units(today, 5)

    # Six weekdays have passed by 10-09, but only two working days (09-30 and 10-09).
    assert not quiet(date(2017, 10, 9))
    assert not quiet(date(2017, 10, 12))  # 5 working days: not more than 5
    assert quiet(date(2017, 10, 13))  # 6 working days
    # The rule agrees with core.workdays on every day around the holiday, weekends included.
    for offset in range(25):
        today = date(2017, 9, 29) + timedelta(days=offset)
        assert quiet(today) == (working_days_between(date(2017, 9, 29), today) > 5), today


def test_a_unit_without_entries_is_quiet_counted_from_its_office_set_up(liaison_world):  # noqa: F811 - fixture
    _open(liaison_world)
    # Both offices were set up on 2017-08-14 (Monday) and have no entries.
    assert set(contact.quiet_units(date(2017, 8, 21), 5)) == set()
    assert set(contact.quiet_units(date(2017, 8, 22), 5)) == {liaison_world.unit_a, liaison_world.unit_b}
    LiaisonOffice.objects.filter(inspected_unit=liaison_world.unit_b).update(established_at=None)
    assert set(contact.quiet_units(date(2017, 8, 22), 5)) == {liaison_world.unit_a}


def test_only_units_of_open_rounds_are_watched(liaison_world, settings):  # noqa: F811 - fixture
    settings.LIAISON_QUIET_WORKING_DAYS = 5
    late = date(2017, 12, 1)
    assert not contact.quiet_units(late).exists()  # the round is still a draft
    _open(liaison_world)
    assert contact.quiet_units(late).count() == 2
    InspectionRound.objects.filter(pk=liaison_world.round.pk).update(status=InspectionRound.Status.ARCHIVED)
    assert not contact.quiet_units(late).exists()


def test_the_round_page_flags_the_quiet_unit(liaison_world, time_machine):  # noqa: F811 - fixture
    _open(liaison_world)
    time_machine.move_to(_at(date(2017, 10, 13)), tick=False)
    _log(liaison_world, liaison_world.unit_a, date(2017, 9, 29))
    _log(liaison_world, liaison_world.unit_b, date(2017, 10, 12), "liaison_b")
    client = Client()
    client.force_login(liaison_world.users["office_staff"])
    response = client.get(reverse("liaison:round-units", args=[liaison_world.round.pk]))
    assert response.context["quiet"] == {liaison_world.unit_a.pk}
    home = client.get(reverse("liaison:office-home"))
    assert list(home.context["quiet"]) == [liaison_world.unit_a]


def test_the_officer_adds_an_entry_from_the_log_page(liaison_world):  # noqa: F811 - fixture
    unit = liaison_world.unit_a
    client = Client()
    client.force_login(liaison_world.users["liaison_a"])
    url = reverse("liaison:contact-log", args=[unit.pk])
    response = client.post(
        url, {"at": "2017-09-04T15:30", "channel": "meeting", "subject": "沟通进驻安排", "follow_up": "周三前提供名单"}
    )
    assert response.status_code == 302
    entry = unit.contact_log.get()
    assert (entry.author, entry.subject, entry.follow_up) == (
        liaison_world.users["liaison_a"],
        "沟通进驻安排",
        "周三前提供名单",
    )
    assert "沟通进驻安排" in client.get(url).content.decode()
