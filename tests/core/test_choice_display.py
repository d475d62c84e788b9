"""get_FOO_display() on the domain models (core.models.base.TimeStampedModel): the label in the
active language, from a value → label table built once per field."""

from django.utils import translation

from clues.models import Clue
from core.models.base import _choice_labels
from inspection.models import InspectionRound


def test_the_label_follows_the_active_language():
    clue = Clue(status=Clue.Status.TRANSFERRED)
    with translation.override("en"):
        assert clue.get_status_display() == "Transferred"
    with translation.override("zh-hans"):
        assert clue.get_status_display() == str(Clue.Status.TRANSFERRED.label)
        assert clue.get_status_display() != "Transferred"


def test_a_value_without_a_choice_shows_as_itself_and_a_blank_choice_its_label():
    assert Clue(status="no-such-status").get_status_display() == "no-such-status"
    assert Clue(grade="").get_grade_display() == ""


def test_every_choice_of_every_domain_model_reads_as_django_s_own_lookup():
    for model in (Clue, InspectionRound):
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            assert _choice_labels(field) == dict(field.flatchoices)
            for value, label in field.flatchoices:
                record = model(**{field.attname: value})
                assert getattr(record, f"get_{field.name}_display")() == str(label)
